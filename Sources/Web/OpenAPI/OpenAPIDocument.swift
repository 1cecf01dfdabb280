import Foundation
import SpeakerCore
import Storage

/// The OpenAPI 3.1 description of the JSON API (the JSON twins of the pages), the CSV
/// downloads and signing in. A test checks that every documented path answers as
/// documented (JSON matching its schema, CSV with its header row), and that every JSON and
/// CSV route is documented.
enum OpenAPIDocument {
    static let version = "1.0.0"

    static func document() -> JSONValue {
        [
            "openapi": "3.1.0",
            "info": [
                "title": "speakerdb",
                "version": .string(version),
                "description": "Read API of speakerdb: speakers, the events where they spoke, and statistics. Every public HTML page has a JSON twin at the same path with a .json suffix (or with Accept: application/json), and every list a CSV download. The admin pages have JSON twins too (/admin.json, /admin/runs.json, …), for a signed-in admin (the review and corrections pages: an editor). Without PUBLIC_READ, sign in first (/login) and send the session cookie.",
            ],
            "paths": paths,
            "components": ["schemas": schemas],
        ]
    }

    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    static func nullable(_ type: String) -> JSONValue { ["type": [.string(type), "null"]] }
    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]

    static func query(_ name: String, _ description: String, schema: JSONValue = ["type": "string"]) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": schema]
    }

    static let pathID: JSONValue = ["name": "id", "in": "path", "required": true, "schema": ["type": "integer", "minimum": 1]]

    static func get(_ summary: String, _ schema: String, parameters: [JSONValue] = [], notFound: Bool = false, badRequest: Bool = false,
                    movedOrGone: Bool = false) -> JSONValue {
        var responses: [(String, JSONValue)] = [
            ("200", ["description": "OK", "content": ["application/json": ["schema": ref(schema)]]]),
        ]
        if badRequest {
            responses.append(("400", ["description": "A parameter is invalid", "content": ["application/json": ["schema": ref("Error")]]]))
        }
        if notFound {
            responses.append(("404", ["description": "Not found", "content": ["application/json": ["schema": ref("Error")]]]))
        }
        if movedOrGone {
            responses.append(("301", ["description": "Merged into another speaker: Location gives the kept speaker's URL, in the same format"]))
            responses.append(("410", ["description": "Removed", "content": ["application/json": ["schema": ref("Error")]]]))
        }
        var operation: [(String, JSONValue)] = [("summary", .string(summary))]
        if !parameters.isEmpty { operation.append(("parameters", .array(parameters))) }
        operation.append(("responses", .object(responses)))
        return ["get": .object(operation)]
    }

    static let listControls: [JSONValue] = [
        query("_search", "Full-text query: every word must match (prefix match, accent-insensitive)."),
        query("_page", "Page number, from 1.", schema: ["type": "integer", "minimum": 1]),
        query("_size", "Items per page, 1-\(PageRequest.maxSize).", schema: ["type": "integer", "minimum": 1, "maximum": .number(Double(PageRequest.maxSize))]),
    ]

    static let speakerFilters: [JSONValue] = [
        query("_sort", "Order: relevance (default when searching), name, appearances (most first), newest.", schema: ["type": "string", "enum": .array(SpeakerSort.allCases.map { .string($0.rawValue) })]),
        query("affiliation", "Exact affiliation."),
        query("location", "Exact location."),
        query("role", "Speakers who had this role at least once.", schema: ["type": "string", "enum": .array(Role.allCases.map { .string($0.rawValue) })]),
        query("year", "Speakers who appeared at an event in this year.", schema: ["type": "integer", "minimum": 1000, "maximum": 9999]),
        query("tag", "Speakers with this expertise tag (its value, as each profile's tags link it)."),
    ]

    static let eventFilters: [JSONValue] = [
        query("_sort", "Order: date (latest first, default), oldest, title.", schema: ["type": "string", "enum": .array(EventSort.allCases.map { .string($0.rawValue) })]),
        query("year", "Events starting in this year.", schema: ["type": "integer", "minimum": 1000, "maximum": 9999]),
        query("location", "Exact location."),
        query("source", "Events found through this source id.", schema: ["type": "integer", "minimum": 1]),
        query("from", "Events starting on or after this date.", schema: ["type": "string", "format": "date"]),
        query("to", "Events starting on or before this date.", schema: ["type": "string", "format": "date"]),
    ]

    /// A CSV download: its columns are the header row, given as the example.
    static func csv(_ summary: String, columns: [String], parameters: [JSONValue]) -> JSONValue {
        ["get": [
            "summary": .string(summary),
            "parameters": .array(parameters),
            "responses": [
                "200": ["description": .string("CSV (RFC 4180, UTF-8), header row: \(columns.joined(separator: ","))"),
                        "content": ["text/csv": ["schema": ["type": "string"], "example": .string(columns.joined(separator: ","))]]],
            ],
        ]]
    }

    static var paths: JSONValue {
        [
            "/index.json": get("Counts and the latest events", "Home"),
            "/speakers.json": get("Speakers, filtered and faceted", "SpeakerList", parameters: listControls + speakerFilters, badRequest: true),
            "/speakers.csv": csv("Every speaker the filters select (no paging), one row each", columns: CSVColumns.speakers,
                                 parameters: [listControls[0]] + speakerFilters),
            "/search.json": get("Speakers by name, topic or plain-English request: the request parsed into a count, topic words and constraints (each required or preferred, each reported as applied or not), ranked by words and meaning (hybrid reciprocal rank fusion, keyword or semantic), each result with why it ranks where it does", "SearchOutcome", parameters: [
                query("q", "The query: a name, a topic or a request in plain English such as \"3 speakers on ocean finance, ideally based in Europe\" (at most 500 characters). Empty: no results."),
                query("mode", "hybrid (default), keyword or semantic. Without the embedding model or embeddings, keyword, with a note.", schema: ["type": "string", "enum": ["hybrid", "keyword", "semantic"]]),
                query("limit", "Results, 1-50 (default 10).", schema: ["type": "integer", "minimum": 1, "maximum": 50]),
            ], badRequest: true),
            "/speakers/{id}.json": get("One speaker with every appearance and every enriched value (expertise tags, where based, languages) with its origin, confidence and evidence", "SpeakerProfileResponse", parameters: [pathID], notFound: true, movedOrGone: true),
            "/events.json": get("Events, filtered and faceted", "EventList", parameters: listControls + eventFilters, badRequest: true),
            "/events.csv": csv("Every event the filters select (no paging), one row each", columns: CSVColumns.events,
                               parameters: [listControls[0]] + eventFilters),
            "/speakers/{id}.csv": csv("One speaker's appearances, one row per event", columns: CSVColumns.speakerAppearances, parameters: [pathID]),
            "/events/{id}.csv": csv("One event's speakers, one row each", columns: CSVColumns.eventSpeakers, parameters: [pathID]),
            "/events/{id}.json": get("One event with its speakers", "EventResponse", parameters: [pathID], notFound: true),
            "/stats.json": get("Counts; events and new speakers (by first dated appearance) on a continuous time axis, binned by month, quarter or year as the span needs, with what has no date; top organisations with their spellings counted together; roles", "StatsResponse"),
            "/stats/leaderboard.json": get("The 50 speakers who appeared at the most events in a period (all time, or events that started in the last 12 or 3 months). Also as CSV: /stats/leaderboard.csv", "Leaderboard", parameters: [
                query("period", "all (default), 12m or 3m.", schema: ["type": "string", "enum": .array(Leaderboard.Period.allCases.map { .string($0.rawValue) })]),
            ], badRequest: true),
            "/stats/leaderboard.csv": csv("The leaderboard, one row per speaker", columns: CSVColumns.leaderboard, parameters: [
                query("period", "all (default), 12m or 3m.", schema: ["type": "string", "enum": .array(Leaderboard.Period.allCases.map { .string($0.rawValue) })]),
            ]),
            "/login": [
                "get": [
                    "summary": "Sign in, step 1: the sign-in form. Sets the sign-in CSRF cookie and carries the same token in the form's _csrf field.",
                    "responses": ["200": ["description": "The sign-in page (HTML)", "content": ["text/html": ["schema": ["type": "string"]]]]],
                ],
                "post": [
                    "summary": "Sign in, step 2 (how an API client reads a database without PUBLIC_READ): post the form with the cookie from step 1. The answer sets the session cookie (HttpOnly); send it with every later request, and the session's CSRF token (X-CSRF-Token) with any request that changes data. Repeated failures from one address lock that username there for 15 minutes (429).",
                    "requestBody": ["required": true, "content": ["application/x-www-form-urlencoded": ["schema": object([
                        ("username", string), ("password", string), ("_csrf", string), ("next", ["type": "string", "description": "Where to go after signing in (a path on this site)"]),
                    ], required: ["username", "password", "_csrf"])]]],
                    "responses": [
                        "303": ["description": "Signed in: the session cookie is set; Location is `next`"],
                        "200": ["description": "The form again, with \"Wrong username or password\" (HTML)"],
                        "403": ["description": "The sign-in CSRF cookie or token is missing or wrong"],
                        "429": ["description": "Too many failures: the account is locked for this address for a while"],
                    ],
                ],
            ],
            "/admin.json": get("Admin overview (admins): pipeline runs and their cost, LLM spend today, this month and in all, the job queue, schedules and database health, as the page's sections", "AdminPage"),
            "/admin/sources.json": get("Sources (admins): each source with its pattern, fetcher, state and last crawl", "AdminPage"),
            "/admin/jobs.json": get("The job queue (admins): queued, running, failed and finished jobs", "AdminPage"),
            "/admin/runs.json": get("Pipeline runs and LLM spend per day and month (admins)", "AdminPage"),
            "/admin/review.json": get("The identity review queue (editors and admins): suspected duplicates with their evidence", "AdminPage"),
            "/admin/corrections.json": get("Suggested corrections (editors and admins)", "AdminPage"),
            "/admin/users.json": get("Accounts and their roles (admins)", "AdminPage"),
            "/healthz": get("Liveness: the process answers", "Health"),
            "/readyz": get("Readiness: the database answers a real query", "Health"),
        ]
    }

    static func object(_ properties: [(String, JSONValue)], required: [String]? = nil) -> JSONValue {
        [
            "type": "object",
            "properties": .object(properties),
            "required": .array((required ?? properties.map(\.0)).map { .string($0) }),
        ]
    }

    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }

    static var schemas: JSONValue {
        let facetList = array(ref("FacetValue"))
        let links = object([("next", nullable("string")), ("previous", nullable("string")), ("csv", string), ("json", string)], required: ["csv", "json"])
        return [
            "Error": object([("error", object([("status", integer), ("message", string)]))]),
            "Health": object([("status", string), ("database", nullable("string")), ("migrations", nullable("integer"))], required: ["status"]),
            "AdminPage": object([("title", string), ("sections", array(ref("AdminSection")))]),
            "AdminSection": object([
                ("title", string), ("note", string), ("columns", array(string)), ("rows", array(object([("cells", array(ref("AdminCell")))]))),
                ("empty", ["type": "string", "description": "What the page says when there are no rows"]), ("form", ref("AdminForm")),
            ], required: ["title", "columns", "rows", "empty"]),
            "AdminCell": object([
                ("text", string), ("href", ["type": "string", "description": "A link"]),
                ("action", ["type": "string", "description": "A POST action (with the session's CSRF token) this row offers"]),
                ("numeric", ["type": "boolean"]), ("destructive", ["type": "boolean", "description": "The action removes, stops or merges something"]),
            ], required: ["text", "numeric", "destructive"]),
            "AdminForm": object([
                ("action", string), ("submit", string),
                ("fields", array(object([("name", string), ("label", string), ("type", string), ("required", ["type": "boolean"]),
                                         ("options", array(string))], required: ["name", "label", "type", "required"]))),
            ]),
            "FacetValue": object([("value", string), ("count", integer)]),
            "Counts": object([("speakers", integer), ("events", integer), ("appearances", integer), ("sources", integer)]),
            "PageLinks": links,
            "SpeakerSummary": object([("id", integer), ("name", string), ("title", nullable("string")), ("affiliation", nullable("string")),
                                      ("location", nullable("string")), ("appearance_count", integer)], required: ["id", "name", "appearance_count"]),
            "SpeakerList": object([
                ("speakers", array(ref("SpeakerSummary"))), ("total", integer), ("page", integer), ("size", integer), ("page_count", integer),
                ("filters", object([("search", nullable("string")), ("affiliation", nullable("string")), ("location", nullable("string")),
                                    ("role", nullable("string")), ("year", nullable("integer")), ("tag", nullable("string")), ("sort", string)], required: ["sort"])),
                ("facets", object([("affiliation", facetList), ("location", facetList), ("role", facetList), ("year", facetList),
                                   ("sampled", nullable("integer"))], required: ["affiliation", "location", "role", "year"])),
                ("links", ref("PageLinks")),
            ]),
            "SpeakerAppearance": object([("event_id", integer), ("url", string), ("title", nullable("string")), ("date", nullable("string")),
                                         ("location", nullable("string")), ("role", string)], required: ["event_id", "url", "role"]),
            "SpeakerProfile": object([("id", integer), ("name", string), ("title", nullable("string")), ("affiliation", nullable("string")),
                                      ("bio", nullable("string")), ("photo_url", nullable("string")), ("location", nullable("string")),
                                      ("created_at", nullable("string")), ("updated_at", nullable("string")),
                                      ("appearances", array(ref("SpeakerAppearance"))),
                                      ("links", object(SpeakerProfile.linkKinds.map { ($0, string) }, required: []))],
                                     required: ["id", "name", "appearances", "links"]),
            "SearchHit": object([
                ("speaker", ref("SpeakerSummary")), ("score", ["type": "number"]),
                ("weak", ["type": "boolean", "description": "The closest there is, not a match: no record with every topic word, and a meaning below the calibrated similarity floor"]),
                ("explanation", object([("keyword_rank", nullable("integer")), ("all_words", ["type": "boolean"]), ("semantic_rank", nullable("integer")), ("cosine", nullable("number")),
                                        ("contributions", ["type": "object", "additionalProperties": ["type": "number"]]),
                                        ("met", array(string)), ("missed", array(string)), ("unknown", array(string))],
                                       required: ["all_words", "contributions", "met", "missed", "unknown"])),
            ]),
            "SearchOutcome": object([("query", string), ("requested", string), ("mode", string), ("hits", array(ref("SearchHit"))), ("notes", array(string)),
                                     ("request", ref("SearchRequest")), ("constraints", array(ref("ConstraintReport")))]),
            "SearchRequest": object([
                ("query", string), ("topic", string), ("count", nullable("integer")), ("parser", string), ("notes", array(string)),
                ("locations", array(["type": "object"])), ("languages", array(["type": "object"])), ("languages_any", ["type": "boolean"]),
                ("roles", array(["type": "object"])), ("dates", ["type": ["object", "null"]]), ("affiliations", array(["type": "object"])),
                ("genders", array(["type": "object"])),
            ], required: ["query", "topic", "parser", "notes", "locations", "languages", "languages_any", "roles", "affiliations", "genders"]),
            "ConstraintReport": object([("kind", string), ("text", string), ("strength", ["type": "string", "enum": ["required", "preferred"]]),
                                        ("applied", ["type": "boolean"]), ("detail", string)]),
            "SpeakerProfileResponse": object([("speaker", ref("SpeakerProfile")), ("attributes", array(ref("SpeakerAttribute")))]),
            "SpeakerAttribute": object([
                ("kind", ["type": "string", "enum": ["tag", "country", "city", "language", "gender"]]), ("value", string), ("label", string),
                ("origin", ["type": "string", "enum": ["user", "page", "bio", "event", "llm"]]), ("confidence", ["type": "number"]),
                ("event_id", nullable("integer")), ("evidence", nullable("string")),
            ], required: ["kind", "value", "label", "origin", "confidence"]),
            "EventSummary": object([("id", integer), ("url", string), ("title", nullable("string")), ("date", nullable("string")),
                                    ("location", nullable("string")), ("speaker_count", integer)], required: ["id", "url", "speaker_count"]),
            "EventList": object([
                ("events", array(ref("EventSummary"))), ("total", integer), ("page", integer), ("size", integer), ("page_count", integer),
                ("filters", object([("search", nullable("string")), ("year", nullable("integer")), ("location", nullable("string")),
                                    ("source", nullable("integer")), ("from", nullable("string")), ("to", nullable("string")), ("sort", string)], required: ["sort"])),
                ("facets", object([("year", facetList), ("location", facetList)])),
                ("links", ref("PageLinks")),
            ]),
            "EventSpeaker": object([("speaker_id", integer), ("name", string), ("title", nullable("string")), ("affiliation", nullable("string")), ("role", string)],
                                   required: ["speaker_id", "name", "role"]),
            "EventDetail": object([("id", integer), ("url", string), ("title", nullable("string")), ("starts_on", nullable("string")),
                                   ("start_time", nullable("string")), ("ends_on", nullable("string")), ("end_time", nullable("string")),
                                   ("time_zone", nullable("string")), ("date_text", nullable("string")), ("location", nullable("string")),
                                   ("venue", nullable("string")), ("language", nullable("string")), ("source_id", nullable("integer")),
                                   ("fetch_state", string), ("extract_state", string), ("speakers", array(ref("EventSpeaker")))],
                                  required: ["id", "url", "fetch_state", "extract_state", "speakers"]),
            "EventResponse": object([("event", ref("EventDetail"))]),
            "Timeline": object([("bin", ["type": "string", "enum": ["month", "quarter", "year"]]),
                                ("points", array(object([("period", string), ("count", integer)], required: ["period", "count"]))),
                                ("undated", integer), ("total", integer)], required: ["bin", "points", "undated", "total"]),
            "Home": object([("counts", ref("Counts")), ("recent_events", array(ref("EventSummary")))]),
            "StatsResponse": object([
                ("counts", ref("Counts")), ("events", ref("Timeline")), ("new_speakers", ref("Timeline")),
                ("top_affiliations", array(object([("name", string), ("speakers", integer), ("spellings", array(string))], required: ["name", "speakers", "spellings"]))),
                ("roles", facetList),
            ], required: ["counts", "events", "new_speakers", "top_affiliations", "roles"]),
            "Leaderboard": object([
                ("period", ["type": "string", "enum": .array(Leaderboard.Period.allCases.map { .string($0.rawValue) })]),
                ("speakers", array(object([("id", integer), ("name", string), ("title", nullable("string")), ("affiliation", nullable("string")),
                                           ("events", integer), ("appearances", integer)], required: ["id", "name", "events", "appearances"]))),
            ], required: ["period", "speakers"]),
        ]
    }
}
