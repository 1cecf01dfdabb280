import Foundation

/// Words of a page's structure — field labels, roles, organisers, venues, sponsors and
/// navigation — in the languages the chain claims (English, German, French, Spanish,
/// Portuguese, Italian). A candidate name made only of these ("Organization", "Event
/// Organizer", "Lieu", "Ponentes") is a label, never a person.
public enum StructureWords {
    public static let words: Set<String> = [
        // English
        "organization", "organisation", "organizer", "organizers", "organiser", "organisers", "organizing", "organising", "organized", "organised",
        "committee", "team", "staff", "venue", "location", "address", "date", "dates", "time", "times", "schedule", "program", "programme",
        "agenda", "event", "events", "details", "category", "categories", "tags", "tag", "website", "phone", "email", "e-mail", "contact",
        "cost", "price", "fee", "free", "tickets", "ticket", "register", "registration", "rsvp", "admission", "speaker", "speakers",
        "moderator", "moderators", "host", "hosts", "panelist", "panelists", "panel", "keynote", "sponsor", "sponsors", "sponsored", "partner",
        "partners", "presented", "hosted", "home", "about", "news", "blog", "menu", "search", "login", "sign", "share", "more", "read",
        "back", "next", "previous", "top", "calendar", "export", "ical", "add", "map", "directions", "room", "hall",
        "online", "virtual", "livestream", "recording", "video", "slides", "abstract", "summary", "description", "bio", "biography",
        "photo", "image", "credit", "credits", "copyright", "privacy", "policy", "terms", "accessibility", "faq", "series", "type", "topic",
        "topics", "track", "tracks", "session", "sessions", "workshop", "talk", "talks", "lecture", "seminar", "language", "level", "duration",
        "start", "end", "starts", "ends", "upcoming", "past", "all", "view", "details", "information", "info", "general", "public", "open",
        "organizer's", "person", "people", "contact person", "unknown", "various", "tba", "tbd", "tbc",
        // German
        "veranstalter", "veranstalterin", "veranstaltung", "veranstaltungen", "ort", "datum", "zeit", "uhrzeit", "eintritt", "anmeldung",
        "kontakt", "programm", "referent", "referentin", "referenten", "moderation", "kategorie", "sprache", "raum", "termin", "termine",
        // French
        "organisateur", "organisatrice", "organisateurs", "lieu", "heure", "horaire", "tarif", "inscription", "entrée", "intervenant",
        "intervenants", "intervenante", "conférence", "catégorie", "langue", "salle", "accueil", "partenaires",
        // Spanish, Portuguese, Italian
        "organizador", "organizadora", "organizadores", "lugar", "fecha", "hora", "entrada", "inscripción", "ponente", "ponentes",
        "categoría", "idioma", "sala", "inicio", "contacto", "local", "data", "horário", "palestrante", "palestrantes", "inscrição",
        "organizzatore", "luogo", "orario", "relatore", "relatori", "iscrizione",
    ]

    /// Whether every word of a candidate is a structure word.
    public static func isStructure(_ text: String) -> Bool {
        let tokens = text.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "'" && $0 != "-" }).map(String.init)
        guard !tokens.isEmpty else { return false }
        let connectives: Set<String> = ["and", "&", "of", "the", "for", "by", "und", "et", "y", "e", "de", "du", "des", "la", "le", "el", "der", "die"]
        let content = tokens.filter { !connectives.contains($0) }
        return !content.isEmpty && content.allSatisfy { words.contains($0) }
    }
}
