#!/usr/bin/env python3
"""Generate the Meridian Forum sample event website and its truth.json.

Everything here is fictional and written for speakerdb's own tests.
Run from anywhere:  python3 SampleSite/generate.py
The output is deterministic: running it again reproduces the committed files.
Standard library only.
"""
import datetime as dt
import html
import json
import os
import re

ROOT = os.path.dirname(os.path.abspath(__file__))
PER_PAGE = 10

# ---------------------------------------------------------------------------
# Time zones (hand-written rules so the output does not depend on tzdata)
# ---------------------------------------------------------------------------


def _last_sunday(year, month):
    d = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year, 12, 31)
    while d.weekday() != 6:
        d -= dt.timedelta(days=1)
    return d


def _nth_sunday(year, month, n):
    d = dt.date(year, month, 1)
    while d.weekday() != 6:
        d += dt.timedelta(days=1)
    return d + dt.timedelta(days=7 * (n - 1))


CITY_ZONE = {
    "London": "UK", "Lisbon": "PT", "Berlin": "CE", "Paris": "CE", "Madrid": "CE",
    "Brussels": "CE", "Geneva": "CE", "Copenhagen": "CE", "New York": "US",
    "Washington": "US", "Tokyo": "JST", "Nairobi": "EAT", "Singapore": "SGT",
    "Mumbai": "IST", "Cape Town": "SAST",
}
FIXED = {"JST": (9 * 60, "JST"), "EAT": (3 * 60, "EAT"), "SGT": (8 * 60, "SGT"),
         "IST": (5 * 60 + 30, "IST"), "SAST": (2 * 60, "SAST")}


def tzinfo(city, when):
    """(offset in minutes, abbreviation) for a local datetime in a city."""
    zone = CITY_ZONE[city]
    if zone in FIXED:
        return FIXED[zone]
    d = when.date()
    if zone in ("UK", "PT", "CE"):
        dst = _last_sunday(d.year, 3) <= d < _last_sunday(d.year, 10)
        base = 0 if zone in ("UK", "PT") else 60
        names = {"UK": ("GMT", "BST"), "PT": ("WET", "WEST"), "CE": ("CET", "CEST")}[zone]
        return base + (60 if dst else 0), names[1 if dst else 0]
    if zone == "US":
        dst = _nth_sunday(d.year, 3, 2) <= d < _nth_sunday(d.year, 11, 1)
        return (-4 * 60, "EDT") if dst else (-5 * 60, "EST")
    raise ValueError(city)


def iso(city, when):
    off, _ = tzinfo(city, when)
    sign = "+" if off >= 0 else "-"
    return when.strftime("%Y-%m-%dT%H:%M:%S") + "%s%02d:%02d" % (sign, abs(off) // 60, abs(off) % 60)


def utc(city, when):
    off, _ = tzinfo(city, when)
    return when - dt.timedelta(minutes=off)


# ---------------------------------------------------------------------------
# Date formats (visible text)
# ---------------------------------------------------------------------------
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DE_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
             "September", "Oktober", "November", "Dezember"]
DE_DAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]
FR_DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
ES_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre"]
ES_DAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
JA_DAYS = "月火水木金土日"


def hm(t):
    return "%02d:%02d" % (t.hour, t.minute)


def ampm(t, with_mer=True):
    h = t.hour % 12 or 12
    s = "%d:%02d" % (h, t.minute)
    return s + (" am" if t.hour < 12 else " pm") if with_mer else s


def us_span(s, e):
    if (s.hour < 12) == (e.hour < 12):
        return "%s–%s" % (ampm(s, False), ampm(e))
    return "%s – %s" % (ampm(s), ampm(e))


def us_tz(city, when):
    return "ET" if CITY_ZONE[city] == "US" else tzinfo(city, when)[1]


def fmt_date(kind, s, e, city):
    tz = tzinfo(city, s)[1]
    M, D = EN_MONTHS[s.month - 1], EN_DAYS[s.weekday()]
    if kind == "uk_long":        # Tuesday, 12 March 2024, 18:30–20:00 GMT
        return "%s, %d %s %d, %s–%s %s" % (D, s.day, M, s.year, hm(s), hm(e), tz)
    if kind == "uk_short":       # Thu 21 September 2023 · 14:00–17:30 BST
        return "%s %d %s %d · %s–%s %s" % (D[:3], s.day, M, s.year, hm(s), hm(e), tz)
    if kind == "us_at":          # June 14, 2023 at 5:30 pm EAT
        return "%s %d, %d at %s %s" % (M, s.day, s.year, ampm(s), us_tz(city, s))
    if kind == "us_at_plain":    # June 20, 2024 at 2:00 pm
        return "%s %d, %d at %s" % (M, s.day, s.year, ampm(s))
    if kind == "us_range":       # February 8, 2024, 6:00–7:30 pm ET
        return "%s %d, %d, %s %s" % (M, s.day, s.year, us_span(s, e), us_tz(city, s))
    if kind == "us_dot":         # December 6, 2022 · 10:00–11:30 am ET
        return "%s %d, %d · %s %s" % (M, s.day, s.year, us_span(s, e), us_tz(city, s))
    if kind == "us_weekday":     # Thursday, April 20, 2023
        return "%s, %s %d, %d" % (D, M, s.day, s.year)
    if kind == "us_weekday_span":  # Wednesday, July 16, 2025, 9:30 am – 12:30 pm SGT
        return "%s, %s %d, %d, %s %s" % (D, M, s.day, s.year, us_span(s, e), us_tz(city, s))
    if kind == "iso":            # 2023-01-26, 18:00–19:30
        return "%s, %s–%s" % (s.strftime("%Y-%m-%d"), hm(s), hm(e))
    if kind == "iso_dot":        # 2023-11-08 · 18:30
        return "%s · %s" % (s.strftime("%Y-%m-%d"), hm(s))
    if kind == "range":          # 5–7 June 2024
        if s.month == e.month:
            return "%d–%d %s %d" % (s.day, e.day, M, s.year)
        return "%d %s – %d %s %d" % (s.day, M, e.day, EN_MONTHS[e.month - 1], e.year)
    if kind == "pipe":           # 13 September 2022 | 17:30 – 19:30 EAT
        return "%d %s %d | %s – %s %s" % (s.day, M, s.year, hm(s), hm(e), tz)
    if kind == "dash_to":        # 3 March 2022 — 13:00 to 14:00 (GMT)
        return "%d %s %d — %s to %s (%s)" % (s.day, M, s.year, hm(s), hm(e), tz)
    if kind == "day_tz":         # 16 March 2023, 09:00–17:00 SGT
        return "%d %s %d, %s–%s %s" % (s.day, M, s.year, hm(s), hm(e), tz)
    if kind == "day_plain":      # 24 September 2025, 18:30–20:00
        return "%d %s %d, %s–%s" % (s.day, M, s.year, hm(s), hm(e))
    if kind == "day_start":      # 7 December 2023, 18:30
        return "%d %s %d, %s" % (s.day, M, s.year, hm(s))
    if kind == "dot":            # 8 May 2025 · 08:30–16:00 EAT
        return "%d %s %d · %s–%s %s" % (s.day, M, s.year, hm(s), hm(e), tz)
    if kind == "day_only":       # Wednesday 18 September 2024
        return "%s %d %s %d" % (D, s.day, M, s.year)
    if kind == "day_only_comma":  # Wednesday, 26 February 2025
        return "%s, %d %s %d" % (D, s.day, M, s.year)
    if kind == "film":           # Thu 29 June 2023 · Doors 18:30, film 19:00
        doors = s - dt.timedelta(minutes=30)
        return "%s %d %s %d · Doors %s, film %s" % (D[:3], s.day, M, s.year, hm(doors), hm(s))
    if kind == "closure":        # Monday 6 January – Friday 14 February 2025
        return "%s %d %s – %s %d %s %d" % (D, s.day, M, EN_DAYS[e.weekday()], e.day,
                                          EN_MONTHS[e.month - 1], e.year)
    if kind == "de":             # Donnerstag, 23. Februar 2023, 18:00–20:00 Uhr
        return "%s, %d. %s %d, %s–%s Uhr" % (DE_DAYS[s.weekday()], s.day, DE_MONTHS[s.month - 1],
                                             s.year, hm(s), hm(e))
    if kind == "fr":             # mercredi 5 octobre 2022, de 18 h 30 à 20 h
        def fh(t):
            return "%d h %02d" % (t.hour, t.minute) if t.minute else "%d h" % t.hour
        return "%s %d %s %d, de %s à %s" % (FR_DAYS[s.weekday()], s.day, FR_MONTHS[s.month - 1],
                                            s.year, fh(s), fh(e))
    if kind == "es":             # miércoles, 12 de marzo de 2025, de 18:30 a 20:00 h
        return "%s, %d de %s de %d, de %s a %s h" % (ES_DAYS[s.weekday()], s.day,
                                                     ES_MONTHS[s.month - 1], s.year, hm(s), hm(e))
    if kind == "ja":             # 2025年4月18日（金）14:00〜16:30
        return "%d年%d月%d日（%s）%s〜%s" % (s.year, s.month, s.day, JA_DAYS[s.weekday()], hm(s), hm(e))
    raise ValueError(kind)


def listing_date(ev):
    s, e = ev["start"], ev["end"]
    if ev["date_fmt"] == "closure":
        return "%d %s – %d %s %d" % (s.day, EN_MONTHS[s.month - 1][:3], e.day,
                                     EN_MONTHS[e.month - 1][:3], e.year)
    if s.date() != e.date():
        return "%d–%d %s %d" % (s.day, e.day, EN_MONTHS[s.month - 1][:3], s.year)
    return "%s %d %s %d" % (EN_DAYS[s.weekday()][:3], s.day, EN_MONTHS[s.month - 1][:3], s.year)


# ---------------------------------------------------------------------------
# Venues
# ---------------------------------------------------------------------------
VENUES = {
    "meridian": ("Meridian House", "14 Carrow Street", "London", "EC2A 4PL", "GB"),
    "lantern": ("The Lantern Rooms", "3 Albury Wharf", "London", "SE1 9QT", "GB"),
    "hollis": ("Hollis Conference Center", "88 Mercer Lane", "New York", "NY 10013", "US"),
    "tidewater": ("Tidewater Hall", "410 Lanier Place NW", "Washington", "DC 20009", "US"),
    "armazem": ("Armazém das Ideias", "Rua do Cais 40", "Lisbon", "1200-109", "PT"),
    "jacaranda": ("Jacaranda Conference Centre", "Riverside Drive", "Nairobi", "00100", "KE"),
    "territoires": ("Maison des Territoires", "12 rue des Tanneurs", "Paris", "75011", "FR"),
    "spreeufer": ("Spreeufer-Forum", "Am Holzhafen 14", "Berlin", "10179", "DE"),
    "keppel": ("Harbour Walk Conference Hall", "21 Harbour Walk", "Singapore", "098632", "SG"),
    "pavillon": ("Pavillon du Lac", "Quai des Pâquis 30", "Geneva", "1201", "CH"),
    "sablon": ("Atelier Sablon", "Rue des Minimes 22", "Brussels", "1000", "BE"),
    "seabreeze": ("Sea Breeze Auditorium", "Marine Lines Road", "Mumbai", "400020", "IN"),
    "nordhavn": ("Nordhavn Energy Hall", "Færgehavnsvej 12", "Copenhagen", "2150", "DK"),
    "foreshore": ("Foreshore Innovation Centre", "4 Heerengracht", "Cape Town", "8001", "ZA"),
    "ciudades": ("Casa de las Ciudades", "Calle del Olivar 21", "Madrid", "28012", "ES"),
    "aoba": ("青葉ホール", "千代田区内幸町2-1-8", "Tokyo", "100-0011", "JP"),
}
CITY_LOCAL = {("Tokyo", "ja"): "東京"}

# ---------------------------------------------------------------------------
# People: canonical identities for recurring / special people.
# Anyone not listed here is identified by the name used in P(...).
# ---------------------------------------------------------------------------
PEOPLE = {
    "okafor": {"name": "Amara Okafor"},
    "ferreira": {"name": "Tomás Ferreira"},
    "linwei": {"name": "Lin Wei"},
    "nunez": {"name": "José Núñez"},
    "raman": {"name": "Priya Raman"},
    "tanaka": {"name": "Keiko Tanaka", "public_name": "田中 恵子", "full_public_name": "田中恵子"},
    "miller_bio": {"name": "David Miller"},
    "miller_tax": {"name": "David Miller", "truth_title": "Partner"},
    "santos_urb": {"name": "Maria Santos"},
    "santos_neuro": {"name": "Maria Santos"},
    "sato": {"name": "佐藤 健一", "public_name": "Kenichi Sato", "full_public_name": "佐藤健一"},
    "kobayashi": {"name": "小林 真理子", "full_public_name": "小林真理子"},
    "watanabe": {"name": "渡辺 翔太", "public_name": "Shota Watanabe", "full_public_name": "渡辺翔太"},
    "nakamura": {"name": "中村 由美", "full_public_name": "中村由美"},
}


def P(pid, role, title=None, org=None, bio=None, display=None):
    """One appearance of a person at an event."""
    name = PEOPLE[pid]["name"] if pid in PEOPLE else pid
    return {"pid": pid, "name": name, "role": role, "title": title, "org": org,
            "bio": bio, "display": display or name}


def esc(s):
    return html.escape(s, quote=True).replace("&#x27;", "'")


# ---------------------------------------------------------------------------
# Speaker block renderers (one markup family per series)
# ---------------------------------------------------------------------------
ROLE_LABEL = {"keynote": "Keynote", "moderator": "Moderator", "host": "Host", "speaker": None,
              "panelist": None}


def render_div_cards(people, heading="Speakers"):
    out = ['<section class="speakers">', "<h2>%s</h2>" % heading, '<div class="speaker-grid">']
    for p in people:
        out.append('<div class="speaker-card">')
        out.append('<img src="/img/portrait.svg" alt="" width="120" height="120">')
        label = ROLE_LABEL.get(p["role"])
        if label:
            out.append('<span class="badge">%s</span>' % label)
        out.append("<h3>%s</h3>" % esc(p["display"]))
        if p["title"]:
            out.append('<p class="role">%s</p>' % esc(p["title"]))
        if p["org"]:
            out.append('<p class="org">%s</p>' % esc(p["org"]))
        if p["bio"]:
            out.append('<p class="bio">%s</p>' % esc(p["bio"]))
        if p.get("extra_html"):
            out.append(p["extra_html"])
        out.append("</div>")
    out += ["</div>", "</section>"]
    return "\n".join(out)


def render_li_person(people, heading="Speakers"):
    out = ['<section class="people-section">', "<h2>%s</h2>" % heading, '<ul class="people">']
    for p in people:
        line = ", ".join(x for x in (p["title"], p["org"]) if x)
        label = ROLE_LABEL.get(p["role"])
        out.append('<li class="person">')
        out.append('<img src="/img/portrait.svg" alt="" width="80" height="80">')
        out.append("<strong>%s</strong>%s" % (esc(p["display"]),
                                              ' <span class="tag">%s</span>' % label if label else ""))
        if line:
            out.append("<em>%s</em>" % esc(line))
        if p["bio"]:
            out.append("<p>%s</p>" % esc(p["bio"]))
        out.append("</li>")
    out += ["</ul>", "</section>"]
    return "\n".join(out)


def render_figures(people, heading="Speakers"):
    out = ['<section class="speakers">', "<h2>%s</h2>" % heading, '<div class="speakers-row">']
    for p in people:
        label = {"moderator": "Moderator", "host": "Conference chair", "keynote": "Keynote"}.get(p["role"])
        line = ", ".join(x for x in (p["title"], p["org"]) if x)
        out.append('<figure class="speaker">')
        out.append('<img src="/img/portrait.svg" alt="Portrait photograph" width="140" height="140">')
        cap = "<b>%s</b>" % esc(p["display"])
        if label:
            cap += '<br><span class="label">%s</span>' % label
        if line:
            cap += '<br><span class="affil">%s</span>' % esc(line)
        out.append("<figcaption>%s</figcaption>" % cap)
        out.append("</figure>")
    out += ["</div>", "</section>"]
    return "\n".join(out)


def render_table(people, heading="Speakers"):
    label = {"moderator": "Chair", "speaker": "Speaker", "panelist": "Panellist", "keynote": "Keynote",
             "host": "Host"}
    out = ['<section class="speakers">', "<h2>%s</h2>" % heading, '<table class="speakers">',
           "<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Role</th>"
           "<th scope=\"col\">Position</th><th scope=\"col\">Organisation</th></tr></thead>", "<tbody>"]
    for p in people:
        out.append("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % (
            esc(p["display"]), label[p["role"]], esc(p["title"] or ""), esc(p["org"] or "")))
    out += ["</tbody>", "</table>", "</section>"]
    return "\n".join(out)


def render_profiles(people, heading="Speakers"):
    out = ['<section class="profiles">', "<h2>%s</h2>" % heading]
    for p in people:
        label = ROLE_LABEL.get(p["role"])
        out.append('<article class="profile">')
        out.append("<h3>%s</h3>" % esc(p["display"]))
        pos = " · ".join(x for x in (p["title"], p["org"]) if x)
        if label:
            pos = label + " — " + pos if pos else label
        if pos:
            out.append('<p class="position">%s</p>' % esc(pos))
        if p["bio"]:
            out.append("<p>%s</p>" % esc(p["bio"]))
        out.append("</article>")
    out.append("</section>")
    return "\n".join(out)


def render_programme(sessions, style):
    """sessions: list of dicts {time, kind, title, people:[(label, [P...])]}"""
    out = ['<section class="programme">', "<h2>Programme</h2>"]
    for s in sessions:
        out.append('<div class="session session-%s">' % s["kind"])
        head = '<span class="time">%s</span> %s' % (s["time"], esc(s["title"]))
        out.append("<h3>%s</h3>" % head)
        for label, group in s.get("people", []):
            if style == "dl":
                out.append("<dl>")
                out.append("<dt>%s</dt>" % label)
                for p in group:
                    bits = ", ".join(x for x in (p["title"], p["org"]) if x)
                    out.append("<dd>%s%s</dd>" % (esc(p["display"]), " (%s)" % esc(bits) if bits else ""))
                out.append("</dl>")
            elif style == "ul":
                if len(group) == 1 and not label.startswith("Panelists"):
                    p = group[0]
                    bits = ", ".join(x for x in (p["title"], p["org"]) if x)
                    out.append("<p><strong>%s</strong> %s%s</p>" % (
                        label, esc(p["display"]), ", " + esc(bits) if bits else ""))
                else:
                    out.append("<p><strong>%s</strong></p>" % label)
                    out.append("<ul>")
                    for p in group:
                        bits = ", ".join(x for x in (p["title"], p["org"]) if x)
                        out.append("<li>%s%s</li>" % (esc(p["display"]), ", " + esc(bits) if bits else ""))
                    out.append("</ul>")
            elif style == "line":
                parts = []
                for p in group:
                    bits = ", ".join(x for x in (p["title"], p["org"]) if x)
                    parts.append("%s%s" % (esc(p["display"]), " (%s)" % esc(bits) if bits else ""))
                cls = "chair" if label.lower().startswith("chair") else "speakers"
                out.append('<p class="%s">%s %s</p>' % (cls, label, "; ".join(parts)))
        if s.get("abstract"):
            out.append('<p class="abstract">%s</p>' % s["abstract"])
        out.append("</div>")
    out.append("</section>")
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------
EVENTS = []


def event(path, title, kicker, start, end, venue, date_fmt, time_elem, teaser, people, body,
          lang="en-GB", jsonld=None, aside=None, actions=True, listed=True, notes=None):
    EVENTS.append({
        "path": path, "title": title, "kicker": kicker,
        "start": dt.datetime(*start), "end": dt.datetime(*end),
        "venue": venue, "date_fmt": date_fmt, "time_elem": time_elem, "teaser": teaser,
        "people": people, "body": body, "lang": lang, "jsonld": jsonld, "aside": aside,
        "actions": actions, "listed": listed,
    })


# ---- 2022 -----------------------------------------------------------------

event("/events/2022/sovereign-debt-after-the-pandemic.html",
      "Sovereign Debt After the Pandemic", "Economics Programme · Marchetti Lectures",
      (2022, 2, 15, 18, 30), (2022, 2, 15, 20, 0), "meridian", "uk_long", True,
      "Dr. Amara Okafor and Rupert Caldwell-Ames on fiscal rules as interest rates climb.",
      [P("okafor", "speaker", "Chief Economist", "Northbridge Institute for Policy", display="Dr. Amara Okafor"),
       P("Rupert Caldwell-Ames", "speaker", "Former Deputy Director", "Albion Fiscal Council"),
       P("ferreira", "moderator", "Senior Fellow", "Meridian Forum")],
      """<p class="lead">A conversation with Dr. Amara Okafor, Chief Economist at Northbridge Institute for Policy, and Rupert Caldwell-Ames, former Deputy Director of the Albion Fiscal Council, moderated by Tomás Ferreira, Senior Fellow at Meridian Forum.</p>
<p>Public debt across advanced economies rose faster in 2020 and 2021 than at any time since the post-war years. With interest rates now climbing, governments face hard choices about how quickly to consolidate and what to protect. Our speakers will ask whether the old fiscal rules still make sense, and what a credible medium-term plan looks like when growth is uncertain.</p>
<p>Okafor's recent work at Northbridge models debt paths under different inflation scenarios; Caldwell-Ames spent a decade assessing government forecasts before leaving the Council last year.</p>
<p>This evening is the 2022 instalment of the Marchetti Lectures, the series named after the late Professor Hélène Marchetti, the Forum's founding director of research, whose work on public finance shaped a generation of budget officials.</p>
<p>The discussion will be followed by audience questions and a drinks reception.</p>""")

event("/events/2022/the-quiet-ledger-book-talk.html",
      "Book Talk: The Quiet Ledger", "Books at Meridian",
      (2022, 3, 3, 13, 0), (2022, 3, 3, 14, 0), "meridian", "dash_to", True,
      "Hannah Oduya on the hidden value of unpaid care.",
      [P("Hannah Oduya", "speaker", "Senior Lecturer in Economics", "University of Wexmoor"),
       P("Felix Armitage", "moderator", "Director of the Care Policy Unit", "Northbridge Institute for Policy",
         display="Dr. Felix Armitage")],
      """<p class="lead">Author Hannah Oduya, Senior Lecturer in Economics at the University of Wexmoor, discusses her new book <cite>The Quiet Ledger: Hidden Work in the Care Economy</cite> in conversation with Dr. Felix Armitage, Director of the Care Policy Unit at Northbridge Institute for Policy, who will chair the discussion.</p>
<p>Unpaid care — for children, for ageing parents, for neighbours — is worth more than many industries that appear in the national accounts, yet it is almost invisible to policy. Oduya's book combines time-use surveys with interviews in three cities to put a value on that work, and asks what would change if governments counted it.</p>
<p>The book, which reviewer Marcus Lindqvist called “the most humane economics book of the year” in <cite>The Ledger Review</cite>, will be on sale at the event.</p>
<p>This is a lunchtime event. Sandwiches will be served from 12:45.</p>""")

MILLER_TAX_BIO = ("David Miller advises multinational groups on cross-border tax disputes and has appeared "
                  "before tax tribunals in London, Dublin and New York.")
event("/events/2022/global-minimum-tax.html",
      "Global Minimum Tax: What Changes for Business", "Tax Policy Briefing",
      (2022, 4, 7, 14, 0), (2022, 4, 7, 15, 30), "hollis", "us_at", True,
      "A practical briefing on the new 15% floor for multinational profits.",
      [P("miller_tax", "speaker", "Partner, Tax Disputes", "Brightwater Partners", MILLER_TAX_BIO),
       P("Anjali Deshpande", "speaker", "Senior Tax Policy Adviser", "Vellore Centre for Fiscal Studies",
         "Anjali Deshpande works on international tax cooperation and previously served on a regional "
         "expert group on digital taxation."),
       P("Marcus Oyelaran", "speaker", "Chief Financial Officer", "Tessaly Logistics",
         "Marcus Oyelaran oversees finance and tax for a logistics group operating in 28 countries."),
       P("Beatrix Holm", "moderator", "Editor", "The Ledger Review",
         "Beatrix Holm edits The Ledger Review, a weekly newsletter on tax and accounting policy.")],
      None)
EVENTS[-1]["body"] = """<p class="lead">More than 130 countries have agreed to a 15% global minimum tax on large multinationals. What will it mean for where companies book profits, and for the tax incentives countries use to attract investment?</p>
<p>This briefing brings together a tax practitioner, a policy adviser and a finance director to work through the rules and their likely effects.</p>
""" + render_div_cards(EVENTS[-1]["people"]) + """
<section class="sponsors">
<h2>Sponsored by</h2>
<div class="speaker-card sponsor">
<img src="/img/logo.svg" alt="" width="120" height="60">
<h3>Northbridge Foundation</h3>
<p class="role">Event sponsor</p>
<p class="bio">The Northbridge Foundation supports independent research on public finance and taxation.</p>
</div>
</section>"""

event("/events/2022/energy-security-in-a-volatile-decade.html",
      "Energy Security in a Volatile Decade", "Energy & Climate",
      (2022, 5, 19, 18, 0), (2022, 5, 19, 19, 30), "meridian", "uk_short", False,
      "How do we keep the lights on while prices swing and supply routes are redrawn?",
      [P("Helena Vogt", "host", "President", "Meridian Forum"),
       P("raman", "speaker", "Head of Research", "Calder Energy Trust"),
       P("Owen Pritchard", "speaker", "Chief Operating Officer", "Severn Grid Operators"),
       P("Nicola Barraclough", "moderator", "Energy Correspondent", "The Northern Chronicle")],
      """<p class="lead">How should Britain and its neighbours keep the lights on while prices swing wildly and supply routes are redrawn?</p>
<p>With welcome remarks by Helena Vogt, President of Meridian Forum, this evening discussion features Priya Raman (Calder Energy Trust) and Owen Pritchard (Severn Grid Operators). It will be chaired by Nicola Barraclough, energy correspondent at <cite>The Northern Chronicle</cite>.</p>
<p>Raman, head of research at Calder Energy Trust, has published widely on gas storage and demand flexibility. Pritchard is chief operating officer of Severn Grid Operators and oversaw the network's winter contingency plans last year.</p>
<p>Places are limited; please register in advance.</p>""")

event("/events/2022/atlantic-cities-week.html",
      "Atlantic Cities Week 2022", "Conference",
      (2022, 6, 8, 9, 0), (2022, 6, 10, 17, 0), "armazem", "range", False,
      "Three days on ports, housing and climate adaptation in Atlantic cities.",
      [P("santos_urb", "speaker", "Principal Urban Planner", "Atlântica Urban Studio",
         "Maria Santos leads Atlântica's waterfront regeneration practice and has worked on port-city "
         "projects in Portugal, Cape Verde and Brazil."),
       P("Duarte Figueiredo", "speaker", "Deputy Mayor for Housing", "Municipality of Porto Alvor",
         "Duarte Figueiredo is responsible for the municipality's affordable housing programme."),
       P("Aoife Brennock", "speaker", "Research Fellow", "Corrib Institute for Coastal Studies",
         "Aoife Brennock studies flood adaptation in small Atlantic ports."),
       P("Samuel Adjei-Mensah", "speaker", "Founder", "Harbourline Mobility",
         "Samuel Adjei-Mensah founded Harbourline, which runs electric ferries and shared bikes in three port cities."),
       P("Leonor Baptista", "host", "Director", "Meridian Forum Lisbon",
         "Leonor Baptista opens and closes the week.")],
      None)
EVENTS[-1]["body"] = """<p class="lead">Atlantic Cities Week brings together planners, mayors and researchers from port cities on both sides of the ocean.</p>
<p>Sessions run each day from 09:00 to 17:00, with site visits to the riverfront on the afternoon of 9 June.</p>
""" + render_li_person(EVENTS[-1]["people"]) + """
<p class="partners">Organised with the Corrib Institute for Coastal Studies.</p>"""

event("/events/2022/water-security-and-finance-east-africa.html",
      "Water Security and Finance in East Africa", "Nairobi Dialogues",
      (2022, 9, 13, 17, 30), (2022, 9, 13, 19, 30), "jacaranda", "pipe", True,
      "Keynote by Grace Mwangi, followed by a panel on financing water infrastructure.",
      [P("Grace Mwangi", "keynote", "Executive Director", "Savanna Water Alliance"),
       P("Joseph Kiprono", "panelist", "Head of Infrastructure Lending", "Rift Valley Development Bank"),
       P("Halima Warsame", "panelist", "Senior Hydrologist", "Great Lakes Basin Authority"),
       P("Daniel Ochieng", "panelist", "Managing Partner", "Acacia Impact Capital"),
       P("Wambui Karanja", "moderator", "Programme Lead", "Meridian Forum Nairobi")],
      """<p class="lead">The evening opens with a keynote address by Grace Mwangi, Executive Director of the Savanna Water Alliance, on what it will take to close East Africa's water infrastructure gap.</p>
<p>A panel discussion follows with:</p>
<ul>
<li>Joseph Kiprono, Head of Infrastructure Lending, Rift Valley Development Bank</li>
<li>Halima Warsame, Senior Hydrologist, Great Lakes Basin Authority</li>
<li>Daniel Ochieng, Managing Partner, Acacia Impact Capital</li>
</ul>
<p>Moderated by Wambui Karanja, Programme Lead at Meridian Forum Nairobi.</p>
<p>Organised in partnership with the Savanna Water Alliance. Light refreshments will be served.</p>""")

event("/events/2022/villes-et-climat.html",
      "Villes et climat : adapter les territoires", "Table ronde",
      (2022, 10, 5, 18, 30), (2022, 10, 5, 20, 0), "territoires", "fr", True,
      "Table ronde (en français) sur l'adaptation des villes au changement climatique.",
      [P("Sophie Marchand", "speaker", "directrice de recherche", "Observatoire Saint-Aubin des Territoires"),
       P("Étienne Lavergne", "speaker", "adjoint au maire chargé de la transition écologique",
         "Ville de Montclair-sur-Loire"),
       P("Nadia Benali", "speaker", "ingénieure hydrologue", "Hydrovia"),
       P("Claire Dumont-Vasseur", "moderator", "journaliste", "L'Hebdo des Territoires")],
      """<p class="lead">Canicules, inondations, recul du trait de côte : comment les collectivités peuvent-elles adapter leurs territoires au changement climatique ?</p>
<p>Une table ronde animée par Claire Dumont-Vasseur, journaliste à <cite>L'Hebdo des Territoires</cite>, avec des chercheurs et des élus qui ont engagé des plans d'adaptation.</p>
<h2>Intervenants</h2>
<ul class="intervenants">
<li><strong>Sophie Marchand</strong>, directrice de recherche, Observatoire Saint-Aubin des Territoires</li>
<li><strong>Étienne Lavergne</strong>, adjoint au maire chargé de la transition écologique, Ville de Montclair-sur-Loire</li>
<li><strong>Nadia Benali</strong>, ingénieure hydrologue, Hydrovia</li>
</ul>
<h2>Modération</h2>
<p>Claire Dumont-Vasseur, journaliste, <cite>L'Hebdo des Territoires</cite></p>
<p>Entrée libre sur inscription. Interprétation simultanée français-anglais.</p>""", lang="fr")

event("/events/2022/maps-of-the-future-exhibition.html",
      "Exhibition Opening: Maps of the Future", "Exhibition",
      (2022, 11, 17, 18, 0), (2022, 11, 17, 21, 0), "meridian", "uk_long", False,
      "Opening night of our winter exhibition of speculative cartography.",
      [],
      """<p class="lead">An evening opening for our winter exhibition of speculative cartography: coastlines, cities and trade routes as they might look in 2100.</p>
<figure class="photo">
<img src="/img/exhibition.svg" alt="Visitors in front of a large wall map" width="640" height="360">
<figcaption>Installation view from the preview. Photo: Jan Kowalski</figcaption>
</figure>
<p>The exhibition draws on the Forum's map archive and on new works commissioned for the show. There are no talks or speeches at the opening; drop in at any time between 18:00 and 21:00.</p>
<p>Curated by the Meridian Forum archive team. Free entry; drinks and light bites.</p>
<p>The exhibition remains open on weekdays until 27 January 2023.</p>""")

TRADE_LD = None  # filled below
event("/events/2022/trade-routes-and-resilience.html",
      "Trade Routes and Resilience: Supply Chains After the Shock", "Trade & Economy",
      (2022, 12, 6, 10, 0), (2022, 12, 6, 11, 30), "tidewater", "us_dot", False,
      "Are shorter supply chains safer, or just more expensive?",
      [P("Harriet Calloway", "speaker", "Director of Trade Policy", "Potomac Trade Institute"),
       P("Rajiv Sethuraman", "speaker", "Chief Supply Chain Officer", "Kestrel Freight Group"),
       P("Ana Lucía Paredes", "speaker", "Senior Economist", "Inter-American Ports Council"),
       P("Curtis Abernathy", "moderator", "Host", "The Trade Desk podcast")],
      """<p class="lead">After two years of port closures, shortages and record freight rates, companies are rethinking where and how they source. Are shorter supply chains safer, or just more expensive?</p>
<p><strong>Speakers:</strong> Harriet Calloway, Rajiv Sethuraman and Ana Lucía Paredes; moderated by Curtis Abernathy.</p>
<p>Coffee from 9:30 am. This event is on the record.</p>""", jsonld={"key": "affiliation"})

# ---- 2023 -----------------------------------------------------------------

event("/events/2023/kelp-forests-and-carbon-markets.html",
      "Kelp Forests and Carbon Markets", "Oceans Programme",
      (2023, 1, 26, 18, 0), (2023, 1, 26, 19, 30), "meridian", "iso", True,
      "Can the ocean's fastest-growing forests earn carbon credits — and should they?",
      [P("miller_bio", "speaker", "Senior Marine Biologist", "Halvorsen Climate Lab"),
       P("Helena Vogt", "host", "President", "Meridian Forum"),
       P("Ines Carvalho", "speaker", "Carbon Markets Analyst", "Tidewater Analytics")],
      """<p class="lead">Can the ocean's fastest-growing forests earn carbon credits — and should they?</p>
<p>A briefing by David Miller, Senior Marine Biologist at Halvorsen Climate Lab, with remarks by Helena Vogt, President of Meridian Forum, and a response from Ines Carvalho, carbon markets analyst at Tidewater Analytics.</p>
<p>Miller has spent fifteen years studying kelp ecosystems in the North Atlantic and leads the Lab's blue carbon monitoring programme. Carvalho tracks voluntary carbon markets and has written on the integrity problems of nature-based offsets.</p>
<p>Organised with Halvorsen Climate Lab.</p>""")

event("/events/2023/energiewende-nach-dem-gas.html",
      "Energiewende in Europa: Was kommt nach dem Gas?", "Podiumsdiskussion",
      (2023, 2, 23, 18, 0), (2023, 2, 23, 20, 0), "spreeufer", "de", True,
      "Podiumsdiskussion (auf Deutsch) über Netze, Speicher und Preise nach dem Gasausstieg.",
      [P("Dieter Brandt", "speaker", "Leiter Energiepolitik", "Rheinfeld-Institut für Energiewende",
         display="Dr. Dieter Brandt"),
       P("Katrin Vollmer", "speaker", "Professorin für Energiewirtschaft", "Technische Hochschule Nordhafen",
         display="Prof. Dr. Katrin Vollmer"),
       P("Matthias Ebersberger", "speaker", "Geschäftsführer", "Stadtwerke Elbwiesen"),
       P("Franziska Hellweg", "moderator", "Wirtschaftsredakteurin", "Tagesblatt Nordhafen")],
      """<p class="lead">Der Abschied vom Pipeline-Gas hat Europas Energiepolitik in wenigen Monaten umgekrempelt. Was folgt nun für Netze, Speicher und Preise?</p>
<p>Drei Fachleute aus Wissenschaft und Praxis diskutieren, wie die Versorgung in den kommenden Wintern gesichert werden kann und welche Investitionen jetzt Vorrang haben sollten.</p>
<h2>Referenten</h2>
<ul>
<li>Dr. Dieter Brandt – Leiter Energiepolitik, Rheinfeld-Institut für Energiewende</li>
<li>Prof. Dr. Katrin Vollmer – Professorin für Energiewirtschaft, Technische Hochschule Nordhafen</li>
<li>Matthias Ebersberger – Geschäftsführer, Stadtwerke Elbwiesen</li>
</ul>
<h2>Moderation</h2>
<p>Franziska Hellweg, Wirtschaftsredakteurin, <cite>Tagesblatt Nordhafen</cite></p>
<p>Die Veranstaltung findet auf Deutsch statt. Der Eintritt ist frei, eine Anmeldung ist erforderlich.</p>""",
      lang="de")

event("/events/2023/asia-pacific-ocean-resilience.html",
      "Asia-Pacific Ocean Resilience Conference 2023", "Conference",
      (2023, 3, 16, 9, 0), (2023, 3, 16, 17, 0), "keppel", "day_tz", False,
      "A day on coastal risk, ports and adaptation across the region.",
      [P("linwei", "speaker", "Professor of Marine Systems", "Kestrel University of Technology",
         display="Prof. Lin Wei"),
       P("tanaka", "speaker", "Senior Researcher", "Aozora Urban Research Institute"),
       P("Nguyen Thi Lan", "speaker", "Deputy Director", "Mekong Delta Adaptation Centre"),
       P("Benedict Goh", "speaker", "Head of Sustainability", "Straits Maritime Holdings"),
       P("Daniela Reyes", "speaker", "Coastal Engineer", "Visayas Shoreline Trust"),
       P("Arun Pillai", "host", "Director", "Meridian Forum Asia")],
      None)
EVENTS[-1]["body"] = """<p class="lead">Sea-level rise, typhoons and subsidence put some of the world's largest cities and busiest ports at risk. This one-day conference brings together researchers, engineers and port operators from across the Asia-Pacific.</p>
""" + render_figures(EVENTS[-1]["people"]) + """
<p>Lunch and refreshments are provided. The conference is held under the Chatham-style rule: remarks may be reported but not attributed.</p>"""

E13 = {
    "okwu": P("Marianne Okwu", "host", "Director", "Meridian Forum North America"),
    "ransome": P("Elliot Ransome", "keynote", "Commissioner", "Harborview Department of Transportation",
                 display="Dr. Elliot Ransome"),
    "ferreira": P("ferreira", "moderator", "Senior Fellow", "Meridian Forum", display="Tomas Ferreira"),
    "nunez": P("nunez", "panelist", "Director of Urban Mobility", "Ciudad Futura Lab", display="Jose Nunez"),
    "dumont": P("Keisha Dumont", "panelist", "Founder", "CurbSense"),
    "zhao": P("Raymond Zhao", "panelist", "Policy Director", "Open Streets Coalition"),
    "sorensen": P("Linnea Sörensen", "moderator", "Urban Affairs Editor", "The Metro Quarterly"),
    "bello": P("Omar Bello", "panelist", "Chief Planner", "Lakemont County Housing Authority"),
    "montoya": P("Gabriela Montoya", "panelist", "Partner", "Arroyo & Finch Architects"),
    "whitcombe": P("Thomas Whitcombe", "panelist", "Senior Fellow", "Ashgrove Housing Institute"),
    "nwosu": P("Adaeze Nwosu", "moderator", "Chief Resilience Officer", "City of Harborview"),
    "bellweather": P("Marcus Bellweather", "panelist", "Chief Engineer", "Northgate Water Utility"),
    "morimoto": P("Yuki Morimoto", "panelist", "Landscape Architect", "Studio Hanami"),
    "araujo": P("Felipe Araujo", "panelist", "Director", "Verde Urbano Network"),
}
event("/events/2023/cities-forward-programme.html",
      "Cities Forward 2023", "One-day conference",
      (2023, 4, 20, 9, 0), (2023, 4, 20, 16, 0), "hollis", "us_weekday", True,
      "A day of panels on curbs, housing near transit and climate-ready streets.",
      list(E13.values()), None)
EVENTS[-1]["body"] = """<p class="lead">Cities Forward brings together city officials, designers and advocates for a day on how streets, housing and infrastructure must change over the next decade.</p>
""" + render_programme([
    {"time": "9:00 am", "kind": "welcome", "title": "Welcome", "people": [("Welcome:", [E13["okwu"]])]},
    {"time": "9:15 am", "kind": "keynote", "title": "Keynote: The Street Is the Platform",
     "people": [("Keynote:", [E13["ransome"]])]},
    {"time": "10:15 am", "kind": "panel", "title": "Panel 1 — Who Owns the Curb?",
     "people": [("Moderator:", [E13["ferreira"]]),
                ("Panelists:", [E13["nunez"], E13["dumont"], E13["zhao"]])],
     "abstract": "Delivery vans, ride-hail, bike lanes and café seating all compete for the same few metres of kerb."},
    {"time": "11:30 am", "kind": "break", "title": "Coffee break"},
    {"time": "11:45 am", "kind": "panel", "title": "Panel 2 — Housing Near Transit",
     "people": [("Moderator:", [E13["sorensen"]]),
                ("Panelists:", [E13["bello"], E13["montoya"], E13["whitcombe"]])]},
    {"time": "1:00 pm", "kind": "break", "title": "Lunch"},
    {"time": "2:00 pm", "kind": "panel", "title": "Panel 3 — Climate-Ready Streets",
     "people": [("Moderator:", [E13["nwosu"]]),
                ("Panelists:", [E13["bellweather"], E13["morimoto"], E13["araujo"]])]},
    {"time": "3:30 pm", "kind": "closing", "title": "Closing remarks",
     "people": [("Closing remarks:", [E13["okwu"]])]},
], "ul") + """
<p class="note">Programme subject to change. Breakfast is served from 8:30 am.</p>"""

event("/events/2023/financing-the-transition.html",
      "Financing the Transition: Central Banks and Climate Risk", "Finance & Climate",
      (2023, 5, 11, 18, 30), (2023, 5, 11, 20, 0), "meridian", "uk_long", True,
      "Should central banks treat climate change as a financial stability risk?",
      [P("okafor", "speaker", "Chief Economist", "Northbridge Institute for Policy",
         "Amara Okafor leads Northbridge's macroeconomics programme. Her research covers sovereign debt, "
         "inflation and the financial risks of climate change."),
       P("Gideon Farraday", "speaker", "Former Deputy Governor", "Reserve Bank of Wessex",
         "Gideon Farraday spent 25 years at the Reserve Bank, latterly as deputy governor for financial stability."),
       P("Leila Nasser", "speaker", "Head of Climate Risk", "Carrow & Finch Insurance",
         "Leila Nasser builds catastrophe and transition-risk models for one of the oldest insurers in the City."),
       P("Samira Haddad", "moderator", "Fellow", "Meridian Forum",
         "Samira Haddad leads the Forum's work on finance and development.")],
      None)
EVENTS[-1]["body"] = """<p class="lead">Should central banks treat climate change as a risk to financial stability — and if so, what should they do about it?</p>
<p>Supervisors now run climate stress tests on banks and insurers, and some have begun to tilt their own asset purchases. Critics say this stretches their mandates. Our panel debates where the line should be.</p>
""" + render_div_cards(EVENTS[-1]["people"]) + """
<div class="press">
<h2>Press</h2>
<p>Press contact: Media Office, Meridian Forum — <a href="mailto:press@meridianforum.example">press@meridianforum.example</a>, +44 20 7946 0000</p>
</div>"""

event("/events/2023/youth-employment-digital-economy.html",
      "Youth Employment and the Digital Economy", "Nairobi Dialogues",
      (2023, 6, 14, 17, 30), (2023, 6, 14, 19, 0), "jacaranda", "us_at", False,
      "Can platform work absorb a million new job-seekers a year on decent terms?",
      [P("Otieno Barasa", "speaker", "Chief Executive", "Kilima Digital Works"),
       P("Achieng Odhiambo", "speaker", "Labour Economist", "East African Labour Observatory"),
       P("Samira Haddad", "moderator", "Fellow", "Meridian Forum")],
      """<p class="lead">Kenya's workforce grows by close to a million young people every year. Can platform work and digital services absorb them on decent terms?</p>
<p>An evening discussion featuring Otieno Barasa, chief executive of Kilima Digital Works, and Achieng Odhiambo, labour economist at the East African Labour Observatory. Moderated by Samira Haddad, Fellow at Meridian Forum.</p>
<p>Barasa founded Kilima in 2016 to train young people for remote software work; it now employs more than 600 developers. Odhiambo's surveys of gig workers in Nairobi and Kisumu are among the most detailed studies of platform labour in the region.</p>
<p>Organised in partnership with the East African Labour Observatory.</p>""")

event("/events/2023/screening-the-salt-road.html",
      "Screening: The Salt Road", "Film",
      (2023, 6, 29, 19, 0), (2023, 6, 29, 20, 45), "lantern", "film", False,
      "A documentary about the families who carry salt across the Sahel.",
      [],
      """<p class="lead">A screening of <cite>The Salt Road</cite> (2021, 94 min), a documentary directed by Mireille Dufresne that follows three families who move salt across the Sahel by truck and by camel.</p>
<p>Shown in French and Tamasheq with English subtitles.</p>
<p>Please note there is no post-screening discussion; the bar stays open after the film.</p>""")

event("/events/2023/energy-storage-roundtable.html",
      "Energy Storage Roundtable", "Energy & Climate",
      (2023, 9, 21, 14, 0), (2023, 9, 21, 17, 30), "lantern", "uk_short", True,
      "Batteries, hydrogen and heat: what storage does the grid really need?",
      [P("raman", "speaker", "Head of Research", "Calder Energy Trust"),
       P("Tobias Wren", "speaker", "Chief Technology Officer", "Ferrous Cell Energy"),
       P("Meera Kulkarni", "speaker", "Senior Analyst", "Lowmoor Power Exchange"),
       P("Ewan McCrae", "speaker", "Director of Networks", "Highland Grid Cooperative"),
       P("Rachel Osei-Bonsu", "moderator", "Associate Fellow", "Meridian Forum")],
      None)
EVENTS[-1]["body"] = """<p class="lead">Batteries, pumped hydro, hydrogen and heat stores: what mix of storage does a clean power system need, and who will pay for it?</p>
<p>An invitation-only roundtable followed by a public session from 16:00.</p>
""" + render_table(EVENTS[-1]["people"], "Participants")

event("/events/2023/health-data-governance-dialogue.html",
      "Health Data Governance Dialogue", "Geneva Dialogues",
      (2023, 10, 12, 14, 0), (2023, 10, 12, 16, 30), "pavillon", "day_tz", False,
      "Who should control health data, and on what terms?",
      [P("Elodie Fässler", "speaker", "Head of Digital Health Policy", "Lémanique Health Observatory",
         "Elodie Fässler advises cantonal and national health authorities on data sharing and patient consent.",
         display="Dr. Elodie Fässler"),
       P("Kwabena Adomako", "speaker", "Chief Data Officer", "Accra Health Systems Trust",
         "Kwabena Adomako built the Trust's national immunisation data platform."),
       P("Ingeborg Rask", "speaker", "Professor of Bioethics", "University of Skarholm",
         "Ingeborg Rask writes on consent, privacy and the ethics of secondary data use."),
       P("Julien Castella", "moderator", "Senior Fellow", "Meridian Forum Geneva",
         "Julien Castella moderates the Forum's Geneva dialogues on global health.")],
      None, jsonld={"key": "worksFor"})
EVENTS[-1]["body"] = """<p class="lead">Health systems generate vast amounts of data that could improve care and research. Who should control it, and on what terms?</p>
""" + render_profiles(EVENTS[-1]["people"]) + """
<p>Simultaneous interpretation English–French is available.</p>"""

event("/events/2023/who-pays-for-adaptation.html",
      "Who Pays for Adaptation?", "Finance & Climate",
      (2023, 11, 8, 18, 30), (2023, 11, 8, 20, 0), "meridian", "iso_dot", False,
      "Developing countries need hundreds of billions a year to adapt. Who will pay?",
      [P("Tendai Mushonga", "speaker", "Senior Adviser on Climate Finance", "Zambezi Resilience Fund",
         display="Dr. Tendai Mushonga"),
       P("Clara Whitfield", "speaker", "Head of Sustainable Finance", "Hallam & Ives Bank"),
       P("Ravi Subramaniam", "speaker", "Adaptation Lead", "Lagoon States Climate Secretariat"),
       P("Eleanor Pike", "moderator", "Director of Research", "Meridian Forum")],
      """<p class="lead">Developing countries need hundreds of billions of dollars a year to adapt to a warming climate. Who will pay, and through which channels?</p>
<p>Speakers:</p>
<ul class="plain">
<li>Dr. Tendai Mushonga, Senior Adviser on Climate Finance, Zambezi Resilience Fund</li>
<li>Clara Whitfield, Head of Sustainable Finance, Hallam &amp; Ives Bank</li>
<li>Ravi Subramaniam, Adaptation Lead, Lagoon States Climate Secretariat</li>
</ul>
<p>Chair: Eleanor Pike, Director of Research, Meridian Forum</p>
<p>The discussion comes ahead of the annual climate negotiations and draws on the Forum's report <cite>Paying for Resilience</cite>.</p>
<p class="contact">Press enquiries: Olivia Brennan, Communications Manager — <a href="mailto:press@meridianforum.example">press@meridianforum.example</a></p>""")

event("/events/2023/european-digital-rights-forum.html",
      "European Digital Rights Forum 2023", "Conference",
      (2023, 11, 29, 9, 30), (2023, 11, 29, 13, 0), "sablon", "day_tz", True,
      "A morning on platform accountability, data protection and public algorithms.",
      [P("Zofia Wróblewska", "speaker", "Legal Director", "Digital Commons Europe",
         "Zofia Wróblewska litigates on data protection and platform accountability before European courts."),
       P("Pieter Claes", "speaker", "Commissioner", "Benelux Digital Oversight Council",
         "Pieter Claes oversees enforcement of data protection rules for public bodies."),
       P("Amina Diallo", "speaker", "Researcher", "Institute for Algorithmic Accountability",
         "Amina Diallo audits automated decision systems used in welfare and policing."),
       P("Lars Eklund", "speaker", "Head of Public Policy", "Nordvik Telecom",
         "Lars Eklund leads Nordvik's engagement with the European institutions.")],
      None)
EVENTS[-1]["body"] = """<p class="lead">How should Europe hold platforms and public bodies to account for the algorithms they use?</p>
""" + render_li_person(EVENTS[-1]["people"]) + """
<p>Hosted by Meridian Forum Brussels in partnership with Digital Commons Europe.</p>"""

event("/events/2023/ageing-societies-and-the-brain.html",
      "Ageing Societies and the Brain", "Health & Society",
      (2023, 12, 7, 18, 30), (2023, 12, 7, 20, 0), "meridian", "day_start", True,
      "What does the latest brain research mean for dementia policy?",
      [P("santos_neuro", "speaker", "Professor of Cognitive Neuroscience", "Vireo Institute for Brain Health"),
       P("Gareth Lyle", "speaker", "Director of Policy", "Evergreen Ageing Trust"),
       P("Eleanor Pike", "moderator", "Director of Research", "Meridian Forum")],
      """<p class="lead">As populations age, dementia is becoming one of the largest costs facing health and care systems. What does the latest brain research mean for policy?</p>
<p>Join Maria Santos, Professor of Cognitive Neuroscience at the Vireo Institute for Brain Health, and Gareth Lyle, Director of Policy at the Evergreen Ageing Trust, for a discussion moderated by Eleanor Pike, Director of Research at Meridian Forum.</p>
<p>Santos leads a long-running study of 4,000 adults over sixty that tracks how education, hearing loss and social contact relate to cognitive decline. Lyle worked as a care home manager for ten years before moving into policy.</p>""")

# ---- 2024 -----------------------------------------------------------------

event("/events/2024/streets-for-people.html",
      "Streets for People: Rethinking Urban Mobility", "Cities Programme",
      (2024, 2, 8, 18, 0), (2024, 2, 8, 19, 30), "hollis", "us_range", True,
      "José Núñez on what low-traffic neighbourhoods have taught city governments.",
      [P("nunez", "speaker", "Director of Urban Mobility", "Ciudad Futura Lab"),
       P("Keisha Dumont", "moderator", "Founder", "CurbSense")],
      """<p class="lead">Cities across Europe and Latin America have taken street space back from cars. What has worked, and what has provoked a backlash?</p>
<p>An evening featuring José Núñez, Director of Urban Mobility at Ciudad Futura Lab, in conversation with Keisha Dumont, founder of CurbSense.</p>
<p>Núñez has advised more than a dozen municipal governments in Spain and Latin America on low-traffic neighbourhoods and bus priority. Dumont's company maps curb use in real time for city transport departments.</p>""",
      aside="""<aside class="related">
<h2>Coming up</h2>
<ul>
<li><a href="/events/2024/oceans-and-insurance.html">Oceans and Insurance: Pricing a Changing Sea</a> — 12 March 2024, London. Professor Wei Lin presents new research on coastal flood risk.</li>
</ul>
</aside>""")

event("/events/2024/oceans-and-insurance.html",
      "Oceans and Insurance: Pricing a Changing Sea", "Oceans Programme",
      (2024, 3, 12, 18, 30), (2024, 3, 12, 20, 0), "meridian", "uk_long", True,
      "New research on how insurers price coastal flood risk.",
      [P("linwei", "speaker", "Professor", "Kestrel University of Technology", display="Wei Lin"),
       P("Leila Nasser", "speaker", "Head of Climate Risk", "Carrow & Finch Insurance"),
       P("Samira Haddad", "moderator", "Fellow", "Meridian Forum")],
      """<p class="lead">Rising seas and stronger storms are already changing what it costs to insure a house on the coast. Where is the market heading?</p>
<p>Professor Wei Lin of Kestrel University of Technology presents new research on how insurers price coastal flood risk in Asia and Europe. Responding: Leila Nasser (Carrow &amp; Finch Insurance), Head of Climate Risk. Chaired by Samira Haddad, Fellow at Meridian Forum.</p>
<p>Lin's team has assembled a dataset of more than two million insured properties in eleven countries, and finds that premiums lag behind the science by a decade or more.</p>""")

event("/events/2024/future-of-work-summit.html",
      "Future of Work Summit 2024", "Conference",
      (2024, 4, 17, 9, 0), (2024, 4, 18, 17, 0), "lantern", "range", False,
      "Two days on automation, care work and the changing employment contract.",
      [P("Nkechi Anyanwu", "speaker", "Director", "Centre for Labour Futures"),
       P("Ola Brekke", "speaker", "Head of People Analytics", "Fjellstad Group"),
       P("Rosa Delgado-Whitman", "speaker", "National Organiser", "United Care Workers Union"),
       P("Benjamin Achterberg", "speaker", "Chief Economist", "Lowlands Employers' Federation"),
       P("Imogen Hart", "moderator", "Broadcaster")],
      None)
EVENTS[-1]["body"] = """<p class="lead">Automation, an ageing workforce and the growth of care work are reshaping what a job looks like. Our summit asks what employers, unions and governments should do next.</p>
""" + render_figures(EVENTS[-1]["people"]) + """
<p>Both days run from 09:00 to 17:00, with networking drinks on the first evening.</p>"""

event("/events/2024/monsoon-economics-forum.html",
      "Monsoon Economics Forum", "Climate & Development",
      (2024, 5, 15, 16, 0), (2024, 5, 15, 18, 0), "seabreeze", "day_tz", False,
      "How a changing monsoon affects farm incomes, credit and food prices.",
      [P("Shalini Venkataraman", "speaker", "Chief Economist", "Konkan Rural Development Bank",
         display="Dr. Shalini Venkataraman"),
       P("Ishaan Malhotra", "speaker", "Founder", "Rainfall Analytics"),
       P("Farah Qureshi", "speaker", "Agricultural Economist", "Deccan Institute for Agrarian Studies")],
      """<p class="lead">The monsoon still sets the rhythm of rural incomes across South Asia. As it becomes less predictable, what happens to farm credit, insurance and food prices?</p>
<p class="speaker-line">Speakers: Dr. Shalini Venkataraman · Ishaan Malhotra · Farah Qureshi</p>
<p>Tea will be served from 15:30.</p>""", jsonld={"key": "worksFor"})

RAMAN_BIO = ("Priya Raman joined Solenne Grid Observatory as Director in 2024. She previously led the research "
             "team at Calder Energy Trust, where she wrote widely on storage and grid flexibility.")
AALTO_BIO = ("Henrik Aalto directs Halvorsen Climate Lab, an independent research centre working on oceans, "
             "ice and energy systems.")
event("/events/2024/nordic-energy-transition-week.html",
      "Nordic Energy Transition Week 2024", "Conference",
      (2024, 6, 5, 9, 0), (2024, 6, 7, 16, 0), "nordhavn", "range", True,
      "Three days on offshore wind, market design and grid flexibility.",
      [P("raman", "speaker", "Director", "Solenne Grid Observatory", RAMAN_BIO),
       P("Mette Kjærgaard", "speaker", "Chief Executive", "Øresund Wind Partners",
         "Mette Kjærgaard has developed offshore wind projects in the Baltic and North Seas for two decades."),
       P("Aksel Nyberg", "speaker", "Head of Market Design", "Kattegat Power Exchange",
         "Aksel Nyberg designs the exchange's balancing and flexibility markets."),
       P("Henrik Aalto", "speaker", "Director", "Halvorsen Climate Lab", AALTO_BIO),
       P("Sigrid Holm-Jensen", "moderator", "Energy Editor", "The Copenhagen Ledger",
         "Sigrid Holm-Jensen has covered the Nordic power market for fifteen years.")],
      None, jsonld={"key": "affiliation"})
EVENTS[-1]["body"] = """<p class="lead">The Nordic countries run some of the cleanest power systems in the world. What can the rest of Europe learn — and what problems are they still solving?</p>
""" + render_profiles(EVENTS[-1]["people"], "Featured speakers") + """
<p>The full three-day programme will be sent to registered participants.</p>"""

HOSTILE_BIO = ("Ingrid Solberg studies injection attacks against the websites of charities and small newsrooms. "
               "Her workshop demo shows why a comment box that echoes <script>alert(1)</script> back to readers "
               "is still dangerous, and how a value such as \" onmouseover=\"alert(1) can break out of an "
               "unquoted attribute.")
hostile = P("Ingrid Solberg", "speaker", "Security Researcher", "Fjordline Security Collective", HOSTILE_BIO)
hostile["extra_html"] = '<p class="links"><a href="javascript:alert(1)">Speaker website</a></p>'
event("/events/2024/web-security-for-civil-society.html",
      "Web Security for Civil Society: A Practical Workshop", "Workshop",
      (2024, 6, 20, 14, 0), (2024, 6, 20, 17, 0), "lantern", "us_at_plain", True,
      "A hands-on afternoon on securing the websites of charities and newsrooms.",
      [hostile,
       P("Kofi Mensah-Larbi", "speaker", "Digital Safety Trainer", "OpenWell Digital Defence",
         "Kofi Mensah-Larbi trains journalists and campaigners in West Africa and Europe to secure their "
         "devices and accounts.")],
      None)
EVENTS[-1]["body"] = """<p class="lead">Small organisations are frequent targets of website attacks. This hands-on workshop covers the basics: patching, passwords, backups and the most common injection bugs.</p>
<p>Bring a laptop. No programming experience is needed.</p>
""" + render_div_cards(EVENTS[-1]["people"], "Workshop leaders")

event("/events/2024/fifteen-minute-cities-evidence-from-france.html",
      "Fifteen-Minute Cities: Evidence from France", "Cities Programme",
      (2024, 7, 10, 18, 30), (2024, 7, 10, 20, 0), "meridian", "uk_long", False,
      "What the data from French neighbourhood plans actually show.",
      [P("Sophie Marchand", "speaker", "Research Director", "Observatoire Saint-Aubin des Territoires"),
       P("Callum Reid", "speaker", "Head of Transport Strategy", "Greater Ashby Combined Authority"),
       P("Eleanor Pike", "moderator", None, "Meridian Forum")],
      """<p class="lead">The “fifteen-minute city” has gone from planning jargon to political flashpoint. What does the evidence from French cities actually show?</p>
<p>With Sophie Marchand (Observatoire Saint-Aubin des Territoires) and Callum Reid (Greater Ashby Combined Authority), moderated by Eleanor Pike (Meridian Forum).</p>
<p>Marchand, a research director at the Observatoire, has evaluated neighbourhood plans in twelve French cities. Reid is head of transport strategy at the Greater Ashby Combined Authority, which is consulting on its own version of the idea.</p>""")

E29 = {
    "vogt": P("Helena Vogt", "host", "President", "Meridian Forum"),
    "adeyemi": P("Olumide Adeyemi", "keynote", "Chair", "West African Fiscal Stability Board",
                 display="Dr. Olumide Adeyemi"),
    "pike": P("Eleanor Pike", "moderator", "Director of Research", "Meridian Forum"),
    "farraday": P("Gideon Farraday", "panelist", "Former Deputy Governor", "Reserve Bank of Wessex"),
    "venkat": P("Shalini Venkataraman", "panelist", "Chief Economist", "Konkan Rural Development Bank",
                display="Dr. Shalini Venkataraman"),
    "mushonga": P("Tendai Mushonga", "panelist", "Senior Adviser on Climate Finance", "Zambezi Resilience Fund",
                  display="Dr. Tendai Mushonga"),
    "abernathy": P("Curtis Abernathy", "moderator", "Host", "The Trade Desk podcast"),
    "calloway": P("Harriet Calloway", "panelist", "Director of Trade Policy", "Potomac Trade Institute"),
    "cheng": P("Wen-Hui Cheng", "panelist", "Senior Fellow", "Formosa Strait Economic Forum"),
    "zielinski": P("Tomasz Zieliński", "panelist", "Chief Economist", "Vistula Export Bank"),
    "haddad": P("Samira Haddad", "moderator", "Fellow", "Meridian Forum"),
    "nasser": P("Leila Nasser", "panelist", "Head of Climate Risk", "Carrow & Finch Insurance"),
    "aalto": P("Henrik Aalto", "panelist", "Director", "Halvorsen Climate Lab"),
    "whitfield": P("Clara Whitfield", "panelist", "Head of Sustainable Finance", "Hallam & Ives Bank"),
}
event("/events/2024/meridian-annual-conference.html",
      "Meridian Annual Conference 2024: Resilient Economies", "Annual Conference",
      (2024, 9, 18, 9, 0), (2024, 9, 18, 16, 0), "meridian", "day_only", True,
      "Our flagship one-day conference on debt, trade and climate risk.",
      list(E29.values()), None)
EVENTS[-1]["body"] = """<p class="lead">Our flagship conference asks how economies can stay resilient through debt crises, trade fragmentation and a changing climate.</p>
""" + render_programme([
    {"time": "09:00", "kind": "welcome", "title": "Welcome address", "people": [("Host", [E29["vogt"]])]},
    {"time": "09:20", "kind": "keynote", "title": "Keynote: Fiscal Space in a Hotter World",
     "people": [("Keynote speaker", [E29["adeyemi"]])]},
    {"time": "10:15", "kind": "panel", "title": "Session 1: Debt, Development and the Next Decade",
     "people": [("Chair", [E29["pike"]]), ("Speakers", [E29["farraday"], E29["venkat"], E29["mushonga"]])]},
    {"time": "11:30", "kind": "panel", "title": "Session 2: Trade in a Fragmented World",
     "people": [("Chair", [E29["abernathy"]]), ("Speakers", [E29["calloway"], E29["cheng"], E29["zielinski"]])]},
    {"time": "12:45", "kind": "break", "title": "Lunch"},
    {"time": "14:00", "kind": "panel", "title": "Session 3: Climate Risk and the Balance Sheet",
     "people": [("Chair", [E29["haddad"]]), ("Speakers", [E29["nasser"], E29["aalto"], E29["whitfield"]])]},
    {"time": "15:30", "kind": "closing", "title": "Closing remarks and reception",
     "people": [("Host", [E29["vogt"]])]},
], "dl") + """
<p class="note">Sponsored by the Northbridge Foundation. The conference is held under the Chatham House Rule for all sessions after the keynote.</p>"""

event("/events/2024/african-cities-data-summit.html",
      "African Cities Data Summit", "Conference",
      (2024, 10, 3, 10, 0), (2024, 10, 3, 15, 0), "foreshore", "day_tz", False,
      "Open data, mapping and the cities of the future.",
      [P("Thandiwe Dlamini", "speaker", "Chief Data Officer", "Table Bay Metropolitan Municipality"),
       P("Musa Khumalo", "speaker", "Founder", "Ikhaya Maps"),
       P("Yetunde Bakare", "speaker", "Research Director", "Lagoon City Urban Lab"),
       P("Pieter van der Walt", "moderator", "Editor", "Cape Data Review")],
      None)
EVENTS[-1]["body"] = """<p class="lead">African cities are growing faster than anywhere else on earth, often faster than the maps that describe them. How can open data help planners keep up?</p>
""" + render_table(EVENTS[-1]["people"]) + """
<p>Lunch is provided. A limited number of travel bursaries are available for early-career researchers.</p>"""

event("/events/2024/ai-governance-roundtable.html",
      "AI Governance Roundtable: Auditing Public Algorithms", "Digital Programme",
      (2024, 10, 24, 16, 0), (2024, 10, 24, 18, 0), "spreeufer", "uk_short", False,
      "How should governments audit the algorithms they use?",
      [P("Amina Diallo", "speaker", "Researcher", "Institute for Algorithmic Accountability"),
       P("Jonas Reuter", "speaker", "Head of Algorithm Registry", "Ostmark Digital Standards Office",
         display="Dr. Jonas Reuter"),
       P("Emeka Nwachukwu", "speaker", "Lead Engineer", "ClearPath Civic Tech"),
       P("Julien Castella", "moderator", "Senior Fellow", "Meridian Forum Geneva")],
      """<p class="lead">Public bodies increasingly rely on algorithms to allocate benefits, inspect businesses and prioritise cases. How should they be audited, and by whom?</p>
<p>Participants include Amina Diallo (Institute for Algorithmic Accountability), Dr. Jonas Reuter (Ostmark Digital Standards Office) and Emeka Nwachukwu (ClearPath Civic Tech). Chaired by Julien Castella.</p>
<p>The roundtable is held in English.</p>""", jsonld={"key": "affiliation"})

event("/events/2024/defence-spending-and-fiscal-rules.html",
      "Defence Spending and Fiscal Rules", "Economics Programme",
      (2024, 11, 14, 18, 30), (2024, 11, 14, 20, 0), "meridian", "iso", True,
      "Can fiscal rules survive a sustained rise in defence budgets?",
      [P("Alistair Thorne", "speaker", "Chair", "Albion Fiscal Council"),
       P("Rupert Caldwell-Ames", "panelist", "Visiting Professor", "Wexmoor Business School"),
       P("Yasmin Farouk", "panelist", "Defence Economist", "Castlegate Security Institute"),
       P("Rachel Osei-Bonsu", "moderator", "Associate Fellow", "Meridian Forum")],
      """<p class="lead">Governments across Europe have promised to raise defence spending sharply. Can their fiscal rules survive the pressure?</p>
<p>With remarks by Alistair Thorne, Chair of the Albion Fiscal Council, followed by a panel with Rupert Caldwell-Ames, Visiting Professor at Wexmoor Business School and formerly Deputy Director of the Council, and Yasmin Farouk, defence economist at the Castlegate Security Institute. Chaired by Rachel Osei-Bonsu, Associate Fellow at Meridian Forum.</p>
<p>“A fiscal rule that cannot survive contact with a crisis is not a rule but a wish,” as the former finance minister Ludmila Varga once put it. Our panel asks whether defence is such a crisis, and what an honest rule would look like.</p>""")

event("/events/2024/members-winter-reception.html",
      "Members' Winter Reception", "Members",
      (2024, 12, 5, 18, 0), (2024, 12, 5, 21, 0), "meridian", "uk_long", False,
      "Close the year with the Meridian Forum community.",
      [],
      """<p class="lead">Join the Meridian Forum team to close the year with mulled wine, mince pies and a look back at this year's programme.</p>
<p>There are no speeches — just good company. Open to members and their guests; membership cards will be checked at the door.</p>
<p>Hosted by Meridian Forum.</p>""")

# ---- 2025 -----------------------------------------------------------------

event("/events/2025/meridian-house-closed.html",
      "Notice: Meridian House Closed for Refurbishment", "Venue notice",
      (2025, 1, 6, 9, 0), (2025, 2, 14, 18, 0), "meridian", "closure", False,
      "No public events at Meridian House while the auditorium is refurbished.",
      [],
      """<p class="lead">Meridian House will be closed from 6 January to 14 February 2025 while we refurbish the auditorium and improve step-free access.</p>
<p>There will be no public events at Meridian House during this period. Our online programme continues as normal — see the <a href="/events/live/index.html">Live series</a>.</p>
<p>The library remains available by appointment. For questions, please use our <a href="/contact.html">contact page</a>.</p>""",
      actions=False)

event("/events/2025/taxing-the-digital-economy.html",
      "Taxing the Digital Economy", "Tax Policy Briefing",
      (2025, 2, 13, 12, 30), (2025, 2, 13, 14, 0), "hollis", "us_at", True,
      "Who should get to tax the profits of digital companies?",
      [P("Helena Vogt", "host", "President", "Meridian Forum"),
       P("miller_tax", "speaker", "Partner", "Brightwater Partners"),
       P("Anjali Deshpande", "speaker", "Senior Tax Policy Adviser", "Vellore Centre for Fiscal Studies"),
       P("ferreira", "moderator", "Senior Fellow", "Meridian Forum")],
      """<p class="lead">Opening remarks by Helena Vogt, President of Meridian Forum.</p>
<p>A conversation with David Miller, partner in the tax disputes practice at Brightwater Partners, and Anjali Deshpande of the Vellore Centre for Fiscal Studies, moderated by Tomás Ferreira, Senior Fellow at Meridian Forum.</p>
<p>Digital services taxes, the new global minimum tax and a stalled treaty on profit reallocation have left companies and governments with a patchwork of rules. Miller has represented technology companies in transfer-pricing disputes on three continents; Deshpande, a senior tax policy adviser, has worked on the treaty negotiations from the side of developing countries.</p>
<p>A light lunch is served from 12:00 pm.</p>""")

E36 = {
    "pike": P("Eleanor Pike", "host", "Director of Research", "Meridian Forum"),
    "brandt": P("Dieter Brandt", "keynote", "Head of Energy Policy", "Rheinfeld-Institut für Energiewende",
                display="Dr Dieter Brandt"),
    "oseibonsu": P("Rachel Osei-Bonsu", "moderator", None, "Meridian Forum"),
    "raman": P("raman", "speaker", None, "Solenne Grid Observatory"),
    "wren": P("Tobias Wren", "speaker", None, "Ferrous Cell Energy"),
    "kjaergaard": P("Mette Kjærgaard", "speaker", None, "Øresund Wind Partners"),
    "barraclough": P("Nicola Barraclough", "moderator", None, "The Northern Chronicle"),
    "okafor": P("okafor", "speaker", None, "Northbridge Institute for Policy", display="A. Okafor"),
    "pritchard": P("Owen Pritchard", "speaker", None, "Severn Grid Operators"),
    "kulkarni": P("Meera Kulkarni", "speaker", None, "Lowmoor Power Exchange"),
    "reid": P("Callum Reid", "moderator", None, "Greater Ashby Combined Authority"),
    "mccrae": P("Ewan McCrae", "speaker", None, "Highland Grid Cooperative"),
    "griffiths": P("Bethan Griffiths", "speaker", None, "Valleys Community Power"),
    "desai": P("Arjun Desai", "speaker", None, "Heatwise Homes"),
}
event("/events/2025/grid-futures-programme.html",
      "Grid Futures 2025", "One-day conference",
      (2025, 2, 26, 9, 0), (2025, 2, 26, 16, 0), "lantern", "day_only_comma", True,
      "Flexibility, network charges and community energy: the full-day programme.",
      list(E36.values()), None)
EVENTS[-1]["body"] = """<p class="lead">Grid Futures returns for its third year with a full day on how Britain's electricity networks can keep pace with electrification.</p>
""" + render_programme([
    {"time": "09:00", "kind": "welcome", "title": "Opening",
     "abstract": "Opening by Eleanor Pike, Director of Research, Meridian Forum."},
    {"time": "09:15", "kind": "keynote", "title": "Keynote: Europe's Grid After the Gas Shock",
     "people": [("Keynote:", [E36["brandt"]])]},
    {"time": "10:00", "kind": "panel", "title": "Session 1 — Flexibility at Scale",
     "people": [("Chair:", [E36["oseibonsu"]]),
                ("Speakers:", [E36["raman"], E36["wren"], E36["kjaergaard"]])]},
    {"time": "11:15", "kind": "break", "title": "Coffee"},
    {"time": "11:30", "kind": "panel", "title": "Session 2 — Who Pays for the Grid?",
     "people": [("Chair:", [E36["barraclough"]]),
                ("Speakers:", [E36["okafor"], E36["pritchard"], E36["kulkarni"]])]},
    {"time": "12:45", "kind": "break", "title": "Lunch"},
    {"time": "14:00", "kind": "panel", "title": "Session 3 — Communities and Connection",
     "people": [("Chair:", [E36["reid"]]),
                ("Speakers:", [E36["mccrae"], E36["griffiths"], E36["desai"]])]},
    {"time": "15:30", "kind": "closing", "title": "Close"},
], "line") + """
<p class="note">Grid Futures is produced with the support of the Northbridge Foundation.</p>"""

event("/events/2025/foro-movilidad-urbana.html",
      "Foro de Movilidad Urbana 2025", "Foro",
      (2025, 3, 12, 18, 30), (2025, 3, 12, 20, 0), "ciudades", "es", True,
      "Foro (en español) sobre cómo reducir el tráfico sin dejar atrás a los barrios periféricos.",
      [P("nunez", "speaker", "Director de Movilidad Urbana", "Ciudad Futura Lab"),
       P("santos_urb", "speaker", "Urbanista principal", "Atlântica Urban Studio"),
       P("Javier Ortega Ruiz", "speaker", "Concejal de Urbanismo", "Ayuntamiento de Valdelagua"),
       P("Carmen Villalobos", "speaker", "Investigadora", "Instituto Ibérico de Transporte Sostenible"),
       P("Álvaro Castillo Peña", "moderator", "Periodista", "Crónica Urbana")],
      """<p class="lead">¿Cómo pueden las ciudades reducir el tráfico y la contaminación sin dejar atrás a los barrios periféricos?</p>
<p>Un debate con expertos de España y Portugal sobre zonas de bajas emisiones, transporte público y calles para las personas.</p>
<h2>Ponentes</h2>
<ul>
<li><strong>José Núñez</strong> — Director de Movilidad Urbana, Ciudad Futura Lab</li>
<li><strong>Maria Santos</strong> — Urbanista principal, Atlântica Urban Studio (Lisboa)</li>
<li><strong>Javier Ortega Ruiz</strong> — Concejal de Urbanismo, Ayuntamiento de Valdelagua</li>
<li><strong>Carmen Villalobos</strong> — Investigadora, Instituto Ibérico de Transporte Sostenible</li>
</ul>
<h2>Moderador</h2>
<p>Álvaro Castillo Peña, periodista de <cite>Crónica Urbana</cite></p>
<p>Entrada libre hasta completar aforo. Se ruega inscripción previa.</p>""", lang="es")

event("/events/2025/toshi-resilience-forum.html",
      "都市レジリエンス・フォーラム2025", "フォーラム",
      (2025, 4, 18, 14, 0), (2025, 4, 18, 16, 30), "aoba", "ja", True,
      "（日本語）首都直下地震や豪雨災害に備える都市のレジリエンスを議論します。",
      [P("tanaka", "keynote", "レジリエンス研究部長", "青空都市研究所", display="田中 恵子"),
       P("sato", "speaker", "都市工学科 教授", "東都大学", display="佐藤 健一"),
       P("kobayashi", "speaker", "代表取締役", "株式会社みなと防災ラボ"),
       P("watanabe", "speaker", "危機管理監", "湾岸市", display="渡辺 翔太"),
       P("nakamura", "moderator", "編集委員", "日本都市経済新聞")],
      """<p class="lead">首都直下地震や豪雨災害に備え、都市はどのように回復力（レジリエンス）を高めるべきか。研究・企業・自治体の第一線で活躍する登壇者が議論します。</p>
<h2>基調講演</h2>
<div class="jp-speaker">
<p class="name">田中 恵子（Keiko Tanaka）</p>
<p class="affiliation">青空都市研究所</p>
<p class="title">レジリエンス研究部長</p>
</div>
<h2>登壇者</h2>
<div class="jp-speaker">
<p class="name">佐藤 健一（Kenichi Sato）</p>
<p class="affiliation">東都大学</p>
<p class="title">都市工学科 教授</p>
</div>
<div class="jp-speaker">
<p class="name">小林 真理子</p>
<p class="affiliation">株式会社みなと防災ラボ</p>
<p class="title">代表取締役</p>
</div>
<div class="jp-speaker">
<p class="name">渡辺 翔太（Shota Watanabe）</p>
<p class="affiliation">湾岸市</p>
<p class="title">危機管理監</p>
</div>
<h2>モデレーター</h2>
<div class="jp-speaker">
<p class="name">中村 由美</p>
<p class="affiliation">日本都市経済新聞</p>
<p class="title">編集委員</p>
</div>
<p>主催：Meridian Forum 東京事務所　協力：青空都市研究所</p>
<p>参加無料・事前登録制（定員120名）。日英同時通訳あり。</p>""", lang="ja")

MWANGI_BIO = ("Grace Mwangi has led the Savanna Water Alliance since 2019, building partnerships between "
              "utilities, farmers' groups and lenders across six countries.")
event("/events/2025/nairobi-water-futures.html",
      "Nairobi Water Futures Conference 2025", "Conference",
      (2025, 5, 8, 8, 30), (2025, 5, 8, 16, 0), "jacaranda", "dot", False,
      "A day on groundwater, utilities and climate finance in East Africa.",
      [P("Grace Mwangi", "keynote", "Executive Director", "Savanna Water Alliance", MWANGI_BIO),
       P("Henrik Aalto", "speaker", "Director", "Halvorsen Climate Lab", AALTO_BIO),
       P("Halima Warsame", "speaker", "Senior Hydrologist", "Great Lakes Basin Authority",
         "Halima Warsame models groundwater recharge across the Lake Victoria basin."),
       P("Brian Mutua", "speaker", "Head of Water Services", "Mlima Water Services Company",
         "Brian Mutua manages supply for 1.2 million customers in the city's northern districts."),
       P("Wambui Karanja", "moderator", "Programme Lead", "Meridian Forum",
         "Wambui Karanja runs the Forum's Nairobi programme.")],
      None)
EVENTS[-1]["body"] = """<p class="lead">Three years on from our first Nairobi water dialogue, this conference looks at what has changed for groundwater, utilities and the finance that supports them.</p>
""" + render_li_person(EVENTS[-1]["people"]) + """
<p>Registration opens at 08:00. Lunch is provided.</p>"""

OKAFOR_BIO = ("Amara Okafor leads Northbridge's macroeconomics programme and chairs its working group on "
              "climate finance.")
LIN_BIO = "Lin Wei's research group maps coastal flood exposure across Asia and Europe."
MILLER_BIO_BIO = ("David Miller has studied kelp forests and seagrass meadows in the North Atlantic for nearly "
                  "two decades and leads the Lab's blue carbon monitoring programme.")
event("/events/2025/ocean-finance-summit.html",
      "Ocean Finance Summit 2025", "Summit",
      (2025, 6, 5, 9, 0), (2025, 6, 6, 17, 30), "meridian", "range", False,
      "Two days on blue bonds, insurance and the science of ocean carbon.",
      [P("okafor", "keynote", "Chief Economist", "Northbridge Institute for Policy", OKAFOR_BIO,
         display="Dr. Amara Okafor"),
       P("linwei", "speaker", "Professor of Marine Systems", "Kestrel University of Technology", LIN_BIO,
         display="Prof. Lin Wei"),
       P("miller_bio", "speaker", "Senior Marine Biologist", "Halvorsen Climate Lab", MILLER_BIO_BIO),
       P("Henrik Aalto", "speaker", "Director", "Halvorsen Climate Lab", AALTO_BIO),
       P("Fatima Al-Sayegh", "speaker", "Head of Blue Bonds", "Coralline Capital",
         "Fatima Al-Sayegh structured the first blue bond issued by a small island state."),
       P("Imogen Hart", "moderator", "Broadcaster", None,
         "Imogen Hart presents The Tideline, a weekly radio programme about the sea.")],
      None, jsonld={"key": "worksFor", "sponsor": "Northbridge Foundation"})
EVENTS[-1]["body"] = """<p class="lead">The ocean absorbs a quarter of our carbon emissions and supports the livelihoods of three billion people, yet it receives a tiny share of climate finance. The Ocean Finance Summit brings scientists, investors and policymakers together to change that.</p>
""" + render_div_cards(EVENTS[-1]["people"]) + """
<p class="partners">In partnership with Halvorsen Climate Lab. Sponsored by the Northbridge Foundation.</p>"""

placeholder = {"pid": None, "name": None, "role": "speaker", "title": None, "org": None,
               "bio": "Further speakers will be announced soon.", "display": "Speaker to be announced"}
SG_PEOPLE = [
    P("Nur Aisyah Rahman", "speaker", "Senior Urban Climatologist", "Centre for Tropical Urbanism",
      "Nur Aisyah Rahman maps heat islands using street-level sensors and satellite data."),
    P("Benedict Goh", "speaker", "Head of Sustainability", "Straits Maritime Holdings",
      "Benedict Goh leads decarbonisation of the group's port and shipping operations."),
    P("Arvind Natarajan", "speaker", "Public Health Physician", "Kallang Health Partners",
      "Arvind Natarajan studies heat stress among outdoor workers.", display="Dr. Arvind Natarajan"),
    P("Arun Pillai", "moderator", "Director", "Meridian Forum Asia",
      "Arun Pillai leads the Forum's programme in Southeast Asia."),
]
event("/events/2025/singapore-urban-heat-forum.html",
      "Singapore Urban Heat Forum", "Forum",
      (2025, 7, 16, 9, 30), (2025, 7, 16, 12, 30), "keppel", "us_weekday_span", True,
      "Cooling tropical cities without adding to emissions.",
      SG_PEOPLE, None)
EVENTS[-1]["body"] = """<p class="lead">Tropical cities are warming twice as fast as the global average. How can they stay liveable without relying ever more on air conditioning?</p>
""" + render_div_cards(SG_PEOPLE[:3] + [placeholder] + SG_PEOPLE[3:]) + """
<p>Breakfast from 9:00 am.</p>"""

event("/events/2025/central-bank-independence-revisited.html",
      "Central Bank Independence Revisited", "Economics Programme",
      (2025, 9, 24, 18, 30), (2025, 9, 24, 20, 0), "meridian", "day_plain", True,
      "After the inflation shock, is the independent central bank still the right model?",
      [P("Gideon Farraday", "speaker", "Former Deputy Governor", "Reserve Bank of Wessex"),
       P("Hannah Oduya", "speaker", "Professor of Economics", "University of Wexmoor",
         display="Professor Hannah Oduya"),
       P("Samira Haddad", "moderator", None, "Meridian Forum")],
      """<p class="lead">After the inflation shock of 2022, central banks face criticism from all sides. Is operational independence still the right model?</p>
<p>An evening featuring Gideon Farraday (Reserve Bank of Wessex) and Professor Hannah Oduya (University of Wexmoor), chaired by Samira Haddad (Meridian Forum).</p>
<p>Farraday, a former deputy governor of the Reserve Bank, led its financial stability work until 2021. Oduya, professor of economics at Wexmoor, has written on the distributional effects of monetary policy.</p>""")

event("/events/2025/philanthropy-and-public-goods.html",
      "Philanthropy and Public Goods", "Society Programme",
      (2025, 10, 15, 18, 0), (2025, 10, 15, 19, 30), "hollis", "us_range", False,
      "What should private foundations fund when public budgets are squeezed?",
      [P("Cordelia Hastings", "speaker", "President", "Larkspur Foundation"),
       P("Mateo Ibarra", "speaker", "Director of Programs", "Open Ledger Fund"),
       P("Naledi Mokoena", "speaker", "Founder", "Siyakha Community Trust"),
       P("Marianne Okwu", "moderator", "Director", "Meridian Forum North America")],
      """<p class="lead">When public budgets are squeezed, foundations are asked to fill the gaps. Should they — and who holds them to account when they do?</p>
<p>Speakers: Cordelia Hastings (Larkspur Foundation), Mateo Ibarra (Open Ledger Fund) and Naledi Mokoena (Siyakha Community Trust). Moderated by Marianne Okwu.</p>
<p>Followed by a reception.</p>""", jsonld={"key": "affiliation"})

# ---- Live series (reachable only through JavaScript and the sitemap) -----

LIVE = []


def live_event(*args, **kw):
    event(*args, listed=False, **kw)
    LIVE.append(EVENTS.pop())


live_event("/events/live/debt-and-development.html",
           "Live: Debt and Development", "Live series",
           (2024, 11, 27, 13, 0), (2024, 11, 27, 14, 0), "meridian", "iso", False,
           "A live-streamed lunchtime discussion on debt relief.",
           [P("Olumide Adeyemi", "speaker", "Chair", "West African Fiscal Stability Board"),
            P("Sarah Ekwueme", "speaker", "Senior Economist", "Harmattan Research"),
            P("Rachel Osei-Bonsu", "moderator", None, "Meridian Forum")],
           """<p class="lead">A live-streamed discussion with Olumide Adeyemi, Chair of the West African Fiscal Stability Board, and Sarah Ekwueme, Senior Economist at Harmattan Research, moderated by Rachel Osei-Bonsu of Meridian Forum.</p>
<p>Twenty countries now spend more on debt service than on health. Our speakers discuss what a workable debt-relief framework would look like.</p>
<p>Watch live in the auditorium or online; a recording will be published afterwards.</p>""")

live_event("/events/live/ai-and-public-services.html",
           "Live: AI and Public Services", "Live series",
           (2025, 3, 27, 12, 0), (2025, 3, 27, 13, 0), "meridian", "uk_short", True,
           "Can automation improve public services without eroding trust?",
           [P("Emeka Nwachukwu", "speaker", "Lead Engineer", "ClearPath Civic Tech",
              "Emeka Nwachukwu builds open-source tools for local government digital services."),
            P("Jonas Reuter", "speaker", "Head of Algorithm Registry", "Ostmark Digital Standards Office",
              "Jonas Reuter runs a public register of algorithms used by government agencies.",
              display="Dr. Jonas Reuter"),
            P("Priscilla Ampofo", "speaker", "Deputy Director, Digital Services", "Borough of Kingsmere",
              "Priscilla Ampofo leads the borough's digital transformation programme."),
            P("Julien Castella", "moderator", "Senior Fellow", "Meridian Forum Geneva",
              "Julien Castella moderates the Forum's dialogues on technology and health.")],
           None)
LIVE[-1]["body"] = """<p class="lead">Councils and agencies are experimenting with AI for casework, translation and fraud detection. Can automation improve public services without eroding trust?</p>
""" + render_div_cards(LIVE[-1]["people"]) + """
<p>Streamed live; questions can be submitted during the session.</p>"""

live_event("/events/live/food-systems-briefing.html",
           "Live: Food Systems Briefing", "Live series",
           (2025, 5, 21, 9, 0), (2025, 5, 21, 10, 0), "meridian", "us_at", False,
           "A breakfast briefing on food prices and climate shocks.",
           [P("Farah Qureshi", "speaker", None, "Deccan Institute for Agrarian Studies"),
            P("Ruth Abebe", "speaker", "Policy Director", "Highlands Food Security Network"),
            P("Imogen Hart", "moderator", "Broadcaster", None)],
           """<p class="lead">Droughts, floods and trade restrictions have made food prices more volatile than at any time in a generation.</p>
<p>Featuring Farah Qureshi (Deccan Institute for Agrarian Studies) and Ruth Abebe, Policy Director at the Highlands Food Security Network. Chaired by the broadcaster Imogen Hart.</p>
<p>Streamed live from Meridian House.</p>""")

RENDERED = [
    P("Nur Aisyah Rahman", "speaker", "Senior Urban Climatologist", "Centre for Tropical Urbanism",
      "Nur Aisyah Rahman maps heat islands using street-level sensors and satellite data."),
    P("Yuki Morimoto", "speaker", "Landscape Architect", "Studio Hanami",
      "Yuki Morimoto designs shaded streets and rain gardens for dense neighbourhoods."),
    P("Callum Reid", "speaker", "Head of Transport Strategy", "Greater Ashby Combined Authority",
      "Callum Reid leads transport strategy for a city region of two million people."),
    P("Eleanor Pike", "moderator", "Director of Research", "Meridian Forum",
      "Eleanor Pike directs the Forum's research programme."),
]
live_event("/events/live/rendered-panel.html",
           "Live: Cooling Cities Without Warming the Planet", "Live series",
           (2025, 6, 25, 18, 0), (2025, 6, 25, 19, 30), "meridian", "uk_long", True,
           "Shade, water and street design against urban heat.",
           RENDERED,
           """<p class="lead">Shade, water and street design can cool cities without the emissions of air conditioning. Our panel compares what works in tropical and temperate cities.</p>
<section class="speakers">
<h2>Speakers</h2>
<div id="speaker-list" class="speaker-grid" data-src="/events/live/rendered-panel.json" aria-live="polite"></div>
<noscript><p>Please enable JavaScript to see the speakers for this event.</p></noscript>
</section>
<script src="/js/render-speakers.js" defer></script>""")

live_event("/events/live/adaptation-gap-live.html",
           "Live: Closing the Adaptation Gap", "Live series",
           (2025, 9, 17, 17, 0), (2025, 9, 17, 18, 30), "meridian", "uk_long", True,
           "A keynote and conversation on water, heat and recovery.",
           [P("Grace Mwangi", "keynote", "Executive Director", "Savanna Water Alliance", MWANGI_BIO),
            P("tanaka", "speaker", "Director of Resilience Research", "Aozora Urban Research Institute",
              "Keiko Tanaka leads research on earthquake and flood recovery at the Aozora Urban Research "
              "Institute in Tokyo."),
            P("ferreira", "moderator", "Senior Fellow", "Meridian Forum",
              "Tomás Ferreira leads the Forum's programme on cities and climate.")],
           None)
LIVE[-1]["body"] = """<p class="lead">A keynote and conversation on how communities recover from floods, droughts and earthquakes — and what that teaches us about adaptation.</p>
""" + render_div_cards(LIVE[-1]["people"]) + """
<p>Streamed live from Meridian House with an audience in the auditorium.</p>"""

# ---------------------------------------------------------------------------
# Page chrome
# ---------------------------------------------------------------------------
NAV = {
    "en": ["Home", "Events", "Live series", "About", "Contact", "Newsletter"],
    "de": ["Startseite", "Veranstaltungen", "Live-Reihe", "Über uns", "Kontakt", "Newsletter"],
    "fr": ["Accueil", "Événements", "Série en direct", "À propos", "Contact", "Lettre d'information"],
    "es": ["Inicio", "Eventos", "Serie en directo", "Quiénes somos", "Contacto", "Boletín"],
    "ja": ["ホーム", "イベント", "ライブシリーズ", "概要", "お問い合わせ", "ニュースレター"],
}
NAV_HREF = ["/index.html", "/events/index.html", "/events/live/index.html", "/about.html",
            "/contact.html", "/newsletter.html"]
LABELS = {
    "en": {"date": "Date", "venue": "Venue", "register": "Register", "cal": "Add to calendar",
           "back": "← All events", "crumb": "Events"},
    "de": {"date": "Datum", "venue": "Ort", "register": "Anmelden", "cal": "Zum Kalender hinzufügen",
           "back": "← Alle Veranstaltungen", "crumb": "Veranstaltungen"},
    "fr": {"date": "Date", "venue": "Lieu", "register": "S'inscrire", "cal": "Ajouter au calendrier",
           "back": "← Tous les événements", "crumb": "Événements"},
    "es": {"date": "Fecha", "venue": "Lugar", "register": "Inscribirse", "cal": "Añadir al calendario",
           "back": "← Todos los eventos", "crumb": "Eventos"},
    "ja": {"date": "日時", "venue": "会場", "register": "参加申し込み", "cal": "カレンダーに追加",
           "back": "← イベント一覧", "crumb": "イベント"},
}


def page(path, title, main, lang="en-GB", description="", head_extra="", og_type="website"):
    short = lang.split("-")[0]
    nav = "\n".join('<li><a href="%s">%s</a></li>' % (h, esc(l)) for h, l in zip(NAV_HREF, NAV[short]))
    full_title = "%s | Meridian Forum" % title if title != "Meridian Forum" else title
    return """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t}</title>
<meta name="description" content="{d}">
<meta property="og:title" content="{t}">
<meta property="og:type" content="{og}">
<meta property="og:site_name" content="Meridian Forum">
<link rel="canonical" href="{path}">
<link rel="stylesheet" href="/css/site.css">
<link rel="alternate" type="text/calendar" title="Meridian Forum events" href="/events/calendar.ics">
{extra}</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="site-header">
<a class="logo" href="/index.html">Meridian Forum</a>
<nav class="site-nav" aria-label="Main">
<ul>
{nav}
</ul>
</nav>
</header>
<main id="content">
{main}
</main>
<footer class="site-footer">
<p>Meridian Forum · 14 Carrow Street · London EC2A 4PL</p>
<p><a href="/about.html">About</a> · <a href="/contact.html">Contact</a> · <a href="/newsletter.html">Newsletter</a> · <a href="/events/calendar.ics">Calendar feed</a> · <a href="/sitemap.xml">Sitemap</a></p>
<p class="small">© 2025 Meridian Forum. Meridian Forum, its people and partners are fictional; this site is sample data for speakerdb's tests.</p>
</footer>
</body>
</html>
""".format(lang=lang, t=esc(full_title), d=esc(description), og=og_type, path=path, extra=head_extra,
           nav=nav, main=main.strip())


def json_ld(ev):
    cfg = ev["jsonld"]
    name, street, city, postcode, country = VENUES[ev["venue"]]
    performers = []
    for p in ev["people"]:
        person = {"@type": "Person", "name": p["name"]}
        m = re.match(r"^(Dr\.?|Prof\.?|Professor)\s", p["display"])
        if m:
            person["honorificPrefix"] = m.group(1)
        if p["title"]:
            person["jobTitle"] = p["title"]
        if p["org"]:
            person[cfg["key"]] = {"@type": "Organization", "name": p["org"]}
        performers.append(person)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": ev["title"],
        "url": ev["path"],
        "description": ev["teaser"],
        "startDate": iso(city, ev["start"]),
        "endDate": iso(city, ev["end"]),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": name,
                     "address": {"@type": "PostalAddress", "streetAddress": street,
                                 "addressLocality": city, "postalCode": postcode,
                                 "addressCountry": country}},
        "organizer": {"@type": "Organization", "name": "Meridian Forum", "url": "/"},
        "performer": performers,
    }
    if cfg.get("sponsor"):
        data["sponsor"] = {"@type": "Organization", "name": cfg["sponsor"]}
    text = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return '<script type="application/ld+json">\n%s\n</script>\n' % text


def event_page(ev):
    lang = ev["lang"]
    short = lang.split("-")[0]
    L = LABELS[short]
    name, street, city, postcode, country = VENUES[ev["venue"]]
    city_label = CITY_LOCAL.get((city, short), city)
    date_text = fmt_date(ev["date_fmt"], ev["start"], ev["end"], city)
    if ev["time_elem"]:
        date_html = '<time datetime="%s">%s</time>' % (iso(city, ev["start"]), esc(date_text))
    else:
        date_html = esc(date_text)
    crumb_year = ev["path"].split("/")[2]
    crumb_href = "/events/live/index.html" if crumb_year == "live" else "/events/index.html"
    crumb_text = NAV[short][2] if crumb_year == "live" else L["crumb"]
    parts = ['<nav class="breadcrumb" aria-label="Breadcrumb"><a href="%s">%s</a> › %s</nav>' % (
        crumb_href, esc(crumb_text), "Live" if crumb_year == "live" else crumb_year)]
    parts.append('<article class="event">')
    parts.append('<header class="event-header">')
    parts.append('<p class="kicker">%s</p>' % esc(ev["kicker"]))
    parts.append("<h1>%s</h1>" % esc(ev["title"]))
    parts.append('<dl class="event-facts">')
    parts.append("<dt>%s</dt><dd>%s</dd>" % (L["date"], date_html))
    if short == "ja":
        venue_text = "%s（%s都%s）" % (esc(name), esc(city_label), esc(street))
    else:
        venue_text = "%s, %s, %s" % (esc(name), esc(street), esc(city_label))
    parts.append("<dt>%s</dt><dd>%s</dd>" % (L["venue"], venue_text))
    parts.append("</dl>")
    parts.append("</header>")
    parts.append('<div class="event-body">\n%s\n</div>' % ev["body"].strip())
    if ev["actions"]:
        parts.append('<div class="event-actions">\n<a class="btn" href="/contact.html#register">%s</a>\n'
                     '<a class="btn btn-secondary" href="/events/calendar.ics">%s</a>\n</div>' % (
                         L["register"], L["cal"]))
    parts.append("</article>")
    if ev["aside"]:
        parts.append(ev["aside"])
    back = "/events/live/index.html" if crumb_year == "live" else "/events/index.html"
    parts.append('<p class="back"><a href="%s">%s</a></p>' % (back, L["back"]))
    head = json_ld(ev) if ev["jsonld"] else ""
    return page(ev["path"], ev["title"], "\n".join(parts), lang=lang, description=ev["teaser"],
                head_extra=head, og_type="article")


# ---------------------------------------------------------------------------
# Listing pages
# ---------------------------------------------------------------------------

def listing_path(n):
    return "/events/index.html" if n == 1 else "/events/page/%d.html" % n


def listing_pages(events):
    ordered = sorted(events, key=lambda e: e["start"], reverse=True)
    chunks = [ordered[i:i + PER_PAGE] for i in range(0, len(ordered), PER_PAGE)]
    total = len(chunks)
    pages = {}
    for n, chunk in enumerate(chunks, 1):
        items = []
        for ev in chunk:
            city = VENUES[ev["venue"]][2]
            items.append("""<li class="event-item">
<h2><a href="{p}">{t}</a></h2>
<p class="event-date">{d}</p>
<p class="event-location">{c}</p>
<p class="teaser">{s}</p>
</li>""".format(p=ev["path"], t=esc(ev["title"]), d=esc(listing_date(ev)), c=esc(city), s=esc(ev["teaser"])))
        numbers = []
        for k in range(1, total + 1):
            if k == n:
                numbers.append('<span class="current" aria-current="page">%d</span>' % k)
            else:
                numbers.append('<a href="%s">%d</a>' % (listing_path(k), k))
        pag = ['<nav class="pagination" aria-label="Pagination">']
        if n > 1:
            pag.append('<a class="prev" rel="prev" href="%s">← Newer events</a>' % listing_path(n - 1))
        pag.append('<span class="pages">%s</span>' % " ".join(numbers))
        if n < total:
            pag.append('<a class="next" rel="next" href="%s">Older events →</a>' % listing_path(n + 1))
        pag.append("</nav>")
        head = ""
        if n > 1:
            head += '<link rel="prev" href="%s">\n' % listing_path(n - 1)
        if n < total:
            head += '<link rel="next" href="%s">\n' % listing_path(n + 1)
        intro = ""
        if n == 1:
            intro = ('<p class="intro">Talks, debates and conferences from Meridian Forum, newest first. '
                     'Looking for our online programme? See the <a href="/events/live/index.html">Live series</a>.'
                     ' Subscribe to the <a href="/events/calendar.ics">calendar feed</a>.</p>')
        main = """<h1>Events{pg}</h1>
{intro}
<ul class="event-list">
{items}
</ul>
{pag}""".format(pg="" if n == 1 else " — page %d" % n, intro=intro, items="\n".join(items),
                 pag="\n".join(pag))
        title = "Events" if n == 1 else "Events – Page %d" % n
        pages[listing_path(n)] = page(listing_path(n), title, main,
                                      description="Upcoming and past events at Meridian Forum.",
                                      head_extra=head)
    return pages, chunks


# ---------------------------------------------------------------------------
# Static pages, JS, data, feeds
# ---------------------------------------------------------------------------

def home_page(listed):
    recent = sorted(listed, key=lambda e: e["start"], reverse=True)
    picks = [e for e in recent if e["people"]][:3]
    items = "\n".join('<li><a href="%s">%s</a> — %s. %s</li>' % (
        e["path"], esc(e["title"]), esc(listing_date(e)), esc(e["teaser"])) for e in picks)
    main = """<section class="hero">
<h1>Meridian Forum</h1>
<p>An independent forum for research and debate on economics, cities and climate. We publish research and host talks, debates and conferences in London and around the world.</p>
<p><a class="btn" href="/events/index.html">See all events</a> <a class="btn btn-secondary" href="/newsletter.html">Get the newsletter</a></p>
</section>
<section>
<h2>Recent events</h2>
<ul>
{items}
</ul>
</section>
<section>
<h2>Watch live</h2>
<p>Our <a href="/events/live/index.html">Live series</a> brings short lunchtime and evening discussions to audiences online.</p>
</section>
<section>
<h2>From our research</h2>
<p>Our latest report, <cite>Paying for Resilience</cite>, estimates the adaptation finance gap for forty countries. Highlights from the launch featured Dr. Amara Okafor of Northbridge Institute for Policy.</p>
</section>""".format(items=items)
    return page("/index.html", "Meridian Forum", main,
                description="Meridian Forum: research and debate on economics, cities and climate.")


ABOUT = """<h1>About Meridian Forum</h1>
<p>Meridian Forum is an independent think tank and conference organiser founded in 1998. We bring together researchers, officials, business leaders and citizens to debate the economic, urban and environmental questions of the day.</p>
<h2>What we do</h2>
<ul>
<li>Public talks and debates at Meridian House in London</li>
<li>Conferences in Europe, Africa, Asia and the Americas</li>
<li>Research on public finance, cities and climate</li>
<li>The <a href="/events/live/index.html">Live series</a> of online discussions</li>
</ul>
<h2>Our team</h2>
<ul class="staff">
<li>Helena Vogt, President</li>
<li>Eleanor Pike, Director of Research</li>
<li>Tomás Ferreira, Senior Fellow, Cities and Climate</li>
<li>Samira Haddad, Fellow, Finance and Development</li>
<li>Olivia Brennan, Communications Manager</li>
</ul>
<h2>Funding</h2>
<p>We are funded by members, foundations (including the Northbridge Foundation) and event income. We do not take funding from political parties.</p>
<p>The Marchetti Lectures are named in memory of Professor Hélène Marchetti, our founding director of research.</p>"""

CONTACT = """<h1>Contact</h1>
<p>Meridian Forum, 14 Carrow Street, London EC2A 4PL</p>
<h2 id="register">Event registration</h2>
<p>Registration for each event opens about six weeks before the date. Email <a href="mailto:events@meridianforum.example">events@meridianforum.example</a> with the event name and your details.</p>
<h2>Press</h2>
<p>Media office: <a href="mailto:press@meridianforum.example">press@meridianforum.example</a>, +44 20 7946 0000.</p>
<h2>General enquiries</h2>
<p><a href="mailto:hello@meridianforum.example">hello@meridianforum.example</a></p>"""

NEWSLETTER = """<h1>Newsletter</h1>
<p>Our fortnightly newsletter lists upcoming events, new research and recordings from the Live series.</p>
<form class="newsletter" action="/newsletter.html" method="get">
<label for="email">Email address</label>
<input id="email" name="email" type="email" required>
<button type="submit">Subscribe</button>
</form>
<p class="small">You can unsubscribe at any time.</p>"""


def live_index():
    main = """<h1>Live series</h1>
<p class="intro">Short lunchtime and evening discussions streamed from Meridian House. Recordings are published after each event.</p>
<div id="live-events" class="live-listing" data-src="/events/live/data.json">
<p class="loading">Loading the live programme…</p>
</div>
<noscript><p>This listing needs JavaScript. You can also subscribe to the <a href="/events/calendar.ics">calendar feed</a>.</p></noscript>
<script src="/js/live-listing.js" defer></script>"""
    return page("/events/live/index.html", "Live series", main,
                description="Live-streamed discussions from Meridian Forum.")


LIVE_LISTING_JS = r"""/* Meridian Forum – live series listing.
 * Fetches the programme as JSON and inserts one link per event. */
(function () {
  'use strict';
  var box = document.getElementById('live-events');
  if (!box) { return; }
  var src = box.getAttribute('data-src');
  fetch(src, { headers: { 'Accept': 'application/json' } })
    .then(function (response) {
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      return response.json();
    })
    .then(function (data) {
      var list = document.createElement('ul');
      list.className = 'event-list';
      data.events.forEach(function (ev) {
        var item = document.createElement('li');
        item.className = 'event-item';
        var heading = document.createElement('h2');
        var link = document.createElement('a');
        link.href = ev.url;
        link.textContent = ev.title;
        heading.appendChild(link);
        item.appendChild(heading);
        var date = document.createElement('p');
        date.className = 'event-date';
        date.textContent = ev.date;
        item.appendChild(date);
        var teaser = document.createElement('p');
        teaser.className = 'teaser';
        teaser.textContent = ev.teaser;
        item.appendChild(teaser);
        list.appendChild(item);
      });
      while (box.firstChild) { box.removeChild(box.firstChild); }
      box.appendChild(list);
    })
    .catch(function () {
      box.textContent = 'Sorry, the live programme could not be loaded.';
    });
})();
"""

RENDER_SPEAKERS_JS = r"""/* Meridian Forum – renders an event's speakers from JSON.
 * The container's data-src attribute names the JSON file. */
(function () {
  'use strict';
  var box = document.getElementById('speaker-list');
  if (!box) { return; }
  var labels = { keynote: 'Keynote', moderator: 'Moderator', host: 'Host' };
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }
  fetch(box.getAttribute('data-src'))
    .then(function (response) { return response.json(); })
    .then(function (data) {
      data.speakers.forEach(function (sp) {
        var card = el('div', 'speaker-card');
        var img = el('img');
        img.src = '/img/portrait.svg';
        img.alt = '';
        card.appendChild(img);
        if (labels[sp.role]) { card.appendChild(el('span', 'badge', labels[sp.role])); }
        card.appendChild(el('h3', null, sp.name));
        if (sp.title) { card.appendChild(el('p', 'role', sp.title)); }
        if (sp.organisation) { card.appendChild(el('p', 'org', sp.organisation)); }
        if (sp.bio) { card.appendChild(el('p', 'bio', sp.bio)); }
        box.appendChild(card);
      });
    })
    .catch(function () {
      box.textContent = 'Speaker details could not be loaded.';
    });
})();
"""

CSS = """/* Meridian Forum – shared styles */
:root { --ink: #1d2433; --muted: #5b6475; --accent: #0b6e69; --paper: #fbfaf7; --line: #e2ded5; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.55 Georgia, "Times New Roman", serif; color: var(--ink); background: var(--paper); }
a { color: var(--accent); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
.site-header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; padding: 1rem 2rem; border-bottom: 3px solid var(--accent); background: #fff; }
.logo { font-weight: bold; font-size: 1.4rem; text-decoration: none; color: var(--ink); letter-spacing: .02em; }
.site-nav ul { list-style: none; display: flex; gap: 1.2rem; margin: 0; padding: 0; font-family: Helvetica, Arial, sans-serif; font-size: .95rem; }
.site-nav a { text-decoration: none; color: var(--ink); }
main { max-width: 980px; margin: 0 auto; padding: 2rem; }
.site-footer { border-top: 1px solid var(--line); padding: 1.5rem 2rem; color: var(--muted); font: .85rem/1.5 Helvetica, Arial, sans-serif; }
.small { font-size: .8rem; color: var(--muted); }
.breadcrumb { font: .85rem Helvetica, Arial, sans-serif; color: var(--muted); margin-bottom: 1rem; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font: .8rem Helvetica, Arial, sans-serif; color: var(--accent); margin: 0; }
.event-header h1 { margin: .2rem 0 1rem; font-size: 2.1rem; line-height: 1.2; }
.event-facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; font-family: Helvetica, Arial, sans-serif; font-size: .95rem; }
.event-facts dt { font-weight: bold; }
.event-facts dd { margin: 0; }
.lead { font-size: 1.15rem; }
.speaker-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 1.2rem; }
.speaker-card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; }
.speaker-card img { border-radius: 50%; display: block; margin-bottom: .5rem; }
.speaker-card h3 { margin: .2rem 0; font-size: 1.1rem; }
.speaker-card .role, .speaker-card .org { margin: 0; font: .9rem Helvetica, Arial, sans-serif; color: var(--muted); }
.speaker-card .bio { font-size: .92rem; }
.speaker-card.sponsor { max-width: 260px; }
.badge, .tag, .label { display: inline-block; background: var(--accent); color: #fff; font: bold .7rem Helvetica, Arial, sans-serif; text-transform: uppercase; padding: .1rem .4rem; border-radius: 3px; }
.people { list-style: none; padding: 0; }
.person { display: grid; grid-template-columns: 80px 1fr; column-gap: 1rem; margin-bottom: 1.2rem; }
.person img { grid-row: span 3; border-radius: 4px; }
.person em { display: block; color: var(--muted); }
.speakers-row { display: flex; flex-wrap: wrap; gap: 1rem; }
figure.speaker { width: 170px; margin: 0; text-align: center; font-size: .9rem; }
table.speakers { border-collapse: collapse; width: 100%; font-family: Helvetica, Arial, sans-serif; font-size: .95rem; }
table.speakers th, table.speakers td { border-bottom: 1px solid var(--line); padding: .4rem .6rem; text-align: left; }
.profile { border-left: 3px solid var(--accent); padding-left: 1rem; margin-bottom: 1rem; }
.profile .position { font-family: Helvetica, Arial, sans-serif; color: var(--muted); margin: 0; }
.programme .session { border-top: 1px solid var(--line); padding: .6rem 0; }
.programme .time { display: inline-block; min-width: 5.5rem; color: var(--accent); font-family: Helvetica, Arial, sans-serif; }
.programme dl { margin: .2rem 0; }
.programme dt { font-weight: bold; }
.programme dd { margin-left: 1rem; }
.jp-speaker { margin-bottom: .8rem; }
.jp-speaker p { margin: 0; }
.jp-speaker .name { font-weight: bold; }
.photo img { max-width: 100%; height: auto; }
.photo figcaption { font-size: .8rem; color: var(--muted); }
.event-actions { margin: 2rem 0 1rem; display: flex; gap: .8rem; }
.btn { display: inline-block; background: var(--accent); color: #fff; text-decoration: none; padding: .5rem 1rem; border-radius: 4px; font-family: Helvetica, Arial, sans-serif; }
.btn-secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
.related { background: #fff; border: 1px solid var(--line); padding: 1rem; margin-top: 2rem; }
.event-list { list-style: none; padding: 0; }
.event-item { border-bottom: 1px solid var(--line); padding: 1rem 0; }
.event-item h2 { margin: 0; font-size: 1.3rem; }
.event-date, .event-location { margin: .2rem 0; font: .9rem Helvetica, Arial, sans-serif; color: var(--muted); }
.pagination { display: flex; gap: 1rem; align-items: center; margin-top: 2rem; font-family: Helvetica, Arial, sans-serif; }
.pagination .current { font-weight: bold; }
.pagination .pages a, .pagination .pages span { padding: 0 .3rem; }
.newsletter { display: flex; gap: .5rem; align-items: center; }
"""

PORTRAIT_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120" role="img" aria-label="Portrait placeholder">
<rect width="120" height="120" fill="#dfe7e6"/>
<circle cx="60" cy="46" r="22" fill="#9fb4b2"/>
<path d="M20 112c4-24 20-36 40-36s36 12 40 36z" fill="#9fb4b2"/>
</svg>
"""
LOGO_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60" role="img" aria-label="Logo placeholder">
<rect width="120" height="60" rx="6" fill="#efe9dc"/>
<path d="M20 42 L40 18 L60 42 L80 18 L100 42" stroke="#7a6a4f" stroke-width="5" fill="none"/>
</svg>
"""
EXHIBITION_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360" role="img" aria-label="Exhibition view placeholder">
<rect width="640" height="360" fill="#e9e4d8"/>
<rect x="120" y="40" width="400" height="220" fill="#cfd9d6" stroke="#6b7d79" stroke-width="4"/>
<path d="M140 200 C200 120 260 230 330 150 S460 110 500 170" stroke="#0b6e69" stroke-width="5" fill="none"/>
<circle cx="200" cy="320" r="18" fill="#8a8270"/><circle cx="320" cy="318" r="18" fill="#8a8270"/><circle cx="440" cy="322" r="18" fill="#8a8270"/>
</svg>
"""


def ics_escape(s):
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_fold(line):
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return [line]
    out, cur, limit = [], "", 75
    for ch in line:
        if len((cur + ch).encode("utf-8")) > limit:
            out.append(cur)
            cur, limit = " " + ch, 75
        else:
            cur += ch
    out.append(cur)
    return out


def calendar(events):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Meridian Forum//Events//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Meridian Forum events"]
    for ev in sorted(events, key=lambda e: e["start"]):
        if ev["date_fmt"] == "closure":
            continue
        name, street, city, postcode, country = VENUES[ev["venue"]]
        slug = ev["path"].rsplit("/", 1)[1][:-5]
        lines += [
            "BEGIN:VEVENT",
            "UID:%s-%s@meridianforum.example" % (ev["start"].strftime("%Y%m%d"), slug),
            "DTSTAMP:20250101T090000Z",
            "DTSTART:%s" % utc(city, ev["start"]).strftime("%Y%m%dT%H%M%SZ"),
            "DTEND:%s" % utc(city, ev["end"]).strftime("%Y%m%dT%H%M%SZ"),
            "SUMMARY:%s" % ics_escape(ev["title"]),
            "LOCATION:%s" % ics_escape("%s, %s, %s" % (name, street, city)),
            "DESCRIPTION:%s" % ics_escape(ev["teaser"]),
            "URL:%s" % ev["path"],
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    folded = []
    for line in lines:
        folded += ics_fold(line)
    return "\r\n".join(folded) + "\r\n"


def sitemap(paths):
    body = "\n".join("  <url><loc>%s</loc></url>" % p for p in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n%s\n</urlset>\n' % body)


ROBOTS = """User-agent: *
Disallow: /admin/

Sitemap: /sitemap.xml
"""

# ---------------------------------------------------------------------------
# Truth
# ---------------------------------------------------------------------------


def build_truth(all_events, listed_order):
    people = {}
    for ev in all_events:
        for p in ev["people"]:
            if p["pid"] is None:
                continue
            people.setdefault(p["pid"], []).append((ev, p))
    speakers = []
    for pid, apps in people.items():
        apps.sort(key=lambda a: a[0]["start"])
        meta = PEOPLE.get(pid, {})
        title = next((p["title"] for _, p in reversed(apps) if p["title"]), None)
        org = next((p["org"] for _, p in reversed(apps) if p["org"]), None)
        bio = next((p["bio"] for _, p in reversed(apps) if p["bio"]), None)
        roles = {p["role"] for _, p in apps}
        entry = {
            "name": apps[0][1]["name"],
            "title": meta.get("truth_title", title),
            "affiliation": meta.get("truth_aff", org),
            "role": roles.pop() if len(roles) == 1 else None,
            "bio": bio,
            "events": [ev["path"] for ev, _ in apps],
        }
        for k in ("public_name", "full_public_name"):
            if k in meta:
                entry[k] = meta[k]
        speakers.append((entry["name"], pid, entry))
    speakers.sort(key=lambda x: (x[0], x[1]))
    events = []
    not_events = []
    for ev in listed_order:
        if ev.get("kicker") == "Venue notice":
            # A notice in the listing is not an event: discovery must leave it out.
            not_events.append(ev["path"])
            continue
        names = []
        for p in ev["people"]:
            if p["pid"] is not None and p["name"] not in names:
                names.append(p["name"])
        events.append({"path": ev["path"], "title": ev["title"], "speakers": names})
    return {
        "site": "sample",
        "start_path": "/events/index.html",
        "event_url_pattern": None,
        "alt_start_paths": ["/events/live/index.html"],
        "speakers": [s[2] for s in speakers],
        "events": events,
        "not_events": not_events,
    }


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def write(rel, text):
    full = os.path.join(ROOT, rel.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def main():
    listed = EVENTS
    all_events = listed + LIVE
    for ev in all_events:
        write(ev["path"], event_page(ev))
    pages, chunks = listing_pages(listed)
    for path, text in pages.items():
        write(path, text)
    listed_order = [ev for chunk in chunks for ev in chunk]
    live_order = sorted(LIVE, key=lambda e: e["start"], reverse=True)

    write("/index.html", home_page(listed))
    write("/about.html", page("/about.html", "About", ABOUT, description="About Meridian Forum."))
    write("/contact.html", page("/contact.html", "Contact", CONTACT, description="Contact Meridian Forum."))
    write("/newsletter.html", page("/newsletter.html", "Newsletter", NEWSLETTER,
                                   description="Sign up for the Meridian Forum newsletter."))
    write("/events/live/index.html", live_index())
    write("/css/site.css", CSS)
    write("/js/live-listing.js", LIVE_LISTING_JS)
    write("/js/render-speakers.js", RENDER_SPEAKERS_JS)
    write("/img/portrait.svg", PORTRAIT_SVG)
    write("/img/logo.svg", LOGO_SVG)
    write("/img/exhibition.svg", EXHIBITION_SVG)

    live_data = {"series": "Live series", "events": [
        {"title": ev["title"], "url": ev["path"], "date": listing_date(ev), "teaser": ev["teaser"]}
        for ev in live_order]}
    write("/events/live/data.json", json.dumps(live_data, ensure_ascii=False, indent=2) + "\n")
    rendered = next(ev for ev in LIVE if ev["path"].endswith("rendered-panel.html"))
    write("/events/live/rendered-panel.json", json.dumps({"event": rendered["path"], "speakers": [
        {"name": p["display"], "title": p["title"], "organisation": p["org"], "role": p["role"], "bio": p["bio"]}
        for p in rendered["people"]]}, ensure_ascii=False, indent=2) + "\n")

    write("/events/calendar.ics", calendar(all_events))
    site_paths = (["/index.html", "/about.html", "/contact.html", "/newsletter.html"]
                  + [listing_path(n) for n in range(1, len(chunks) + 1)]
                  + [ev["path"] for ev in listed_order]
                  + ["/events/live/index.html"] + [ev["path"] for ev in live_order])
    write("/sitemap.xml", sitemap(site_paths))
    write("/robots.txt", ROBOTS)

    truth = build_truth(all_events, listed_order + live_order)
    write("/truth.json", json.dumps(truth, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
