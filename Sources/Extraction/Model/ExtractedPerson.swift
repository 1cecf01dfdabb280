import Foundation
import SpeakerCore

/// Links to a person's profiles found next to their name.
public struct ProfileLinks: Codable, Sendable, Equatable {
    public var website: String?
    public var linkedin: String?
    public var x: String?
    public var github: String?
    public var orcid: String?

    public init(website: String? = nil, linkedin: String? = nil, x: String? = nil, github: String? = nil, orcid: String? = nil) {
        self.website = website
        self.linkedin = linkedin
        self.x = x
        self.github = github
        self.orcid = orcid
    }

    public var isEmpty: Bool { self == ProfileLinks() }

    /// Files `href` under the right kind; only http(s) links are kept (never javascript:).
    /// A link back into the event site itself (`pageHost`) is the site's page about the
    /// person, not their website.
    public mutating func add(_ href: String, pageHost: String? = nil) {
        guard let url = URL(string: href.trimmingWhitespace()), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host?.lowercased() else { return }
        if let pageHost, host == pageHost.lowercased() { return }
        let text = url.absoluteString
        if host.hasSuffix("linkedin.com") { linkedin = linkedin ?? text }
        else if host == "x.com" || host.hasSuffix("twitter.com") { x = x ?? text }
        else if host.hasSuffix("github.com") { github = github ?? text }
        else if host.hasSuffix("orcid.org") { orcid = orcid ?? text }
        else if !["facebook.com", "www.facebook.com", "instagram.com", "www.instagram.com", "youtube.com", "www.youtube.com"].contains(host) {
            website = website ?? text
        }
    }

    public mutating func merge(_ other: ProfileLinks) {
        website = website ?? other.website
        linkedin = linkedin ?? other.linkedin
        x = x ?? other.x
        github = github ?? other.github
        orcid = orcid ?? other.orcid
    }
}

/// One person an extractor found on an event page.
public struct ExtractedPerson: Codable, Sendable, Equatable {
    public var name: String
    public var honorific: String?
    public var title: String?
    public var affiliations: [String]
    public var role: Role
    public var bio: String?
    public var photoURL: String?
    public var links: ProfileLinks
    /// How sure the extractor is that this is a participant, 0…1.
    public var confidence: Double
    /// Which extractor found it ("json-ld", "cards", "sections", "free-text", "template", "llm").
    public var extractor: String

    public init(name: String, honorific: String? = nil, title: String? = nil, affiliations: [String] = [], role: Role = .speaker,
                bio: String? = nil, photoURL: String? = nil, links: ProfileLinks = ProfileLinks(), confidence: Double, extractor: String) {
        self.name = name
        self.honorific = honorific
        self.title = title
        self.affiliations = affiliations
        self.role = role
        self.bio = bio
        self.photoURL = photoURL
        self.links = links
        self.confidence = confidence
        self.extractor = extractor
    }

    /// The first affiliation, which is the one shown and exported.
    public var primaryAffiliation: String? { affiliations.first }

    enum CodingKeys: String, CodingKey {
        case name, honorific, title, affiliations, role, bio, links, confidence, extractor
        case photoURL = "photo_url"
    }
}
