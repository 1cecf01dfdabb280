import Foundation

/// The evaluation corpus's manifest (corpus/manifest.json): every site with where its pages
/// and truth are, its start page and event-link pattern, and its split.
public struct CorpusManifest: Sendable, Decodable {
    public enum Kind: String, Sendable, Codable {
        /// A conference or series website: crawled from its start page.
        case conference
        /// Single event pages labelled by hand: each page is read as an event page, no discovery.
        case freetext
    }

    public enum Split: String, Sendable, Codable, CaseIterable {
        case dev
        case validation
    }

    public struct Site: Sendable, Decodable {
        public var id: String
        public var kind: Kind
        public var split: Split
        public var generator: String?
        public var organisation: String?
        public var startPath: String?
        public var eventURLPattern: String?
        /// A folder read in place (a site of ../shared/eval/dev), relative to the manifest.
        public var path: String?
        /// The copy's robots.txt forbids everything (a staging or archive build): crawl it anyway.
        public var ignoreRobots: Bool?

        enum CodingKeys: String, CodingKey {
            case id, kind, split, generator, organisation, path
            case startPath = "start_path"
            case eventURLPattern = "event_url_pattern"
            case ignoreRobots = "ignore_robots"
        }
    }

    public var seed: Int?
    public var sites: [Site]
    /// Where the manifest was read from; site folders are found relative to it.
    public var location: URL = URL(fileURLWithPath: ".")

    enum CodingKeys: String, CodingKey {
        case seed, sites
    }

    public static func load(_ path: String) throws -> CorpusManifest {
        let url = URL(fileURLWithPath: path)
        var manifest = try JSONDecoder().decode(CorpusManifest.self, from: Data(contentsOf: url))
        manifest.location = url.deletingLastPathComponent()
        return manifest
    }

    /// The folders of a site: the one served as its web root, and its truth file.
    /// A site built by corpus/rebuild.py lives in ID/site and ID/truth.json beside the
    /// manifest (or under $SPEAKERDB_CORPUS); a site with `path` is one folder holding both.
    public func folders(of site: Site, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (site: URL, truth: URL) {
        let manager = FileManager.default
        if let path = site.path {
            let folder = URL(fileURLWithPath: path, relativeTo: location).standardizedFileURL
            return (folder, folder.appendingPathComponent("truth.json"))
        }
        var roots = [location]
        if let corpus = environment["SPEAKERDB_CORPUS"] { roots.append(URL(fileURLWithPath: corpus)) }
        roots.append(manager.homeDirectoryForCurrentUser.appendingPathComponent(".cache/speakerdb/corpus"))
        for root in roots {
            let folder = root.appendingPathComponent(site.id)
            if manager.fileExists(atPath: folder.appendingPathComponent("truth.json").path) {
                return (folder.appendingPathComponent("site"), folder.appendingPathComponent("truth.json"))
            }
        }
        throw EvaluationError.siteMissing(site.id)
    }
}

public enum EvaluationError: Error, CustomStringConvertible {
    case siteMissing(String)
    case badTruth(String)

    public var description: String {
        switch self {
        case .siteMissing(let id):
            "the corpus has no built site \(id): run corpus/rebuild.py (or set SPEAKERDB_CORPUS to where it built the corpus)"
        case .badTruth(let why): "bad truth file: \(why)"
        }
    }
}
