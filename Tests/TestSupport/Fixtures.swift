import Foundation
import SpeakerCore
import Storage

/// Small, hand-written export documents used across test targets.
public enum Fixtures {
    public static let speakers = ExportDocument(speakers: [
        ExportSpeaker(id: 1, name: "Amara Okafor", title: "Chief Economist", affiliation: "Northbridge Institute",
                      bio: "Amara works on trade finance and development.", events: [
                          ExportAppearance(url: "https://events.example.org/2024/trade-futures", title: "Trade Futures", date: "2024-03-12", role: "speaker"),
                          ExportAppearance(url: "https://events.example.org/2023/ocean-finance", title: "Ocean Finance Summit", date: "2023-06-05", role: "keynote"),
                      ]),
        ExportSpeaker(id: 2, name: "José Núñez", title: "Senior Fellow", affiliation: "Halvorsen Climate Lab",
                      bio: "José researches climate adaptation in Latin America.", events: [
                          ExportAppearance(url: "https://events.example.org/2024/trade-futures", title: "Trade Futures", date: "2024-03-12", role: "moderator"),
                      ]),
        ExportSpeaker(id: 3, name: "山田 花子", title: "Professor", affiliation: "Kyoto Institute of Policy",
                      bio: nil, events: [
                          ExportAppearance(url: "https://events.example.org/2023/ocean-finance", title: "Ocean Finance Summit", date: "2023-06-05", role: "panelist"),
                      ]),
        ExportSpeaker(id: 4, name: "David Miller", title: "Tax Partner", affiliation: "Brightwater Partners",
                      bio: nil, events: []),
    ])

    public static func importSpeakers(into db: TestDatabase) async throws {
        _ = try await SpeakerImporter().run(try SpeakerImporter.validate(speakers), on: db.db)
    }
}
