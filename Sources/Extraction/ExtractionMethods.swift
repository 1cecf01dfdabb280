import Foundation

/// The extraction methods that can be switched off one by one, to measure what each adds
/// (`speakerdb eval --without METHOD`) or to rule one out when it misreads a site.
/// Every method but the opt-in ones is on by default. `SPEAKERDB_EXTRACTION_OFF=template-induction,link-families`
/// switches methods off and `SPEAKERDB_EXTRACTION_ON=…` switches opt-in ones on, for
/// every command of a process.
public struct ExtractionMethods: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Slots induced by comparing a source's pages (`TemplateInducer`).
    public static let templateInduction = ExtractionMethods(rawValue: 1 << 0)
    /// A heading that is a name, followed by that person's bio (`HeadingBioExtractor`).
    public static let headingBio = ExtractionMethods(rawValue: 1 << 1)
    /// Field labels, organisers and navigation words never taken for people.
    public static let labelFilter = ExtractionMethods(rawValue: 1 << 2)
    /// Names linked to the person's own page, read for their details (`LinkFamilyExtractor`).
    public static let linkFamilies = ExtractionMethods(rawValue: 1 << 3)

    /// Participation cues in prose beyond the English trigger phrases: German, French, Spanish
    /// and Portuguese triggers and verbs, and a participant noun before a name ("our speaker,
    /// Jane Doe", "violinist Jo Lee", "nuestro ponente, …") (`FreeTextExtractor`).
    public static let proseCues = ExtractionMethods(rawValue: 1 << 4)

    /// Programme lines that open with the talk's people, one at least with an organisation
    /// in parentheses, then the title: "Jane Roe (Acme) and Jo Lee: Open maps" (`BylineExtractor`).
    public static let bylines = ExtractionMethods(rawValue: 1 << 5)

    public static let all: ExtractionMethods = [.templateInduction, .headingBio, .labelFilter, .linkFamilies, .proseCues, .bylines]

    /// Methods that run only when switched on (`SPEAKERDB_EXTRACTION_ON`, `eval --with`):
    /// where a method's gain is on development sites only. Programme lines
    /// (`bylines`) are opt-in: on the validation split they added no true pair and two
    /// false ones (docs/QUALITY.md, "Programme pages").
    public static let optIn: ExtractionMethods = [.bylines]

    /// What runs when nothing is switched: every method but the opt-in ones.
    public static let defaults = all.subtracting(optIn)

    /// Names as used on the command line and in the environment.
    public static let names: [(String, ExtractionMethods)] = [
        ("template-induction", .templateInduction), ("heading-bio", .headingBio), ("label-filter", .labelFilter),
        ("link-families", .linkFamilies), ("prose-cues", .proseCues), ("bylines", .bylines),
    ]

    public struct UnknownMethod: Error, CustomStringConvertible {
        public let name: String
        public var description: String {
            "unknown extraction method \"\(name)\" (known: \(ExtractionMethods.names.map(\.0).joined(separator: ", ")))"
        }
    }

    /// The defaults with the methods of `with` switched on and those of `without` off
    /// (comma-separated names).
    public static func defaults(with: String = "", without: String = "") throws -> ExtractionMethods {
        var methods = ExtractionMethods.defaults
        methods.formUnion(try parse(with))
        methods.subtract(try parse(without))
        return methods
    }

    static func parse(_ list: String) throws -> ExtractionMethods {
        var methods: ExtractionMethods = []
        for raw in list.split(separator: ",") {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty else { continue }
            guard let method = names.first(where: { $0.0 == name })?.1 else { throw UnknownMethod(name: name) }
            methods.insert(method)
        }
        return methods
    }

    /// The methods in effect: set for a task (`$enabled.withValue`), else the defaults with
    /// `SPEAKERDB_EXTRACTION_ON` and `SPEAKERDB_EXTRACTION_OFF` applied (an unknown name there
    /// is ignored, with the rest applied).
    @TaskLocal public static var enabled: ExtractionMethods = fromEnvironment()

    static func fromEnvironment() -> ExtractionMethods {
        let environment = ProcessInfo.processInfo.environment
        func known(_ key: String) -> ExtractionMethods {
            ExtractionMethods((environment[key] ?? "").split(separator: ",").compactMap { raw in
                names.first { $0.0 == raw.trimmingCharacters(in: .whitespaces).lowercased() }?.1
            })
        }
        return defaults.union(known("SPEAKERDB_EXTRACTION_ON")).subtracting(known("SPEAKERDB_EXTRACTION_OFF"))
    }

    public var description: String {
        Self.names.filter { contains($0.1) }.map(\.0).joined(separator: ", ")
    }
}
