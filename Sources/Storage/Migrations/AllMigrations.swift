import FluentKit

/// Every migration, in order. Append new ones at the end; never reorder or edit an
/// applied one — add a new numbered migration instead.
public enum AllMigrations {
    public static var list: [any Migration] {
        [
            CreateSources(),
            CreateEvents(),
            CreateSpeakers(),
            CreateAppearances(),
            CreateAffiliationAliases(),
            CreateFieldProvenance(),
            CreatePipelineRuns(),
            CreateAPICalls(),
            CreateSpeakerSearchIndex(),
            CreateCrawlFrontier(),
            AddListIndexes(),
            AddExtractionState(),
            CreateIdentityTables(),
            AddFacetIndexes(),
            AddSourceTemplates(),
            AddPostgresUnaccent(),
            CreateSearchLog(),
            CreateJobs(),
            CreateAccounts(),
            CreateSpeakerEmbeddings(),
            CreateSpeakerAttributes(),
            CreateCorrections(),
            CreateSpeakerFacetValues(),
            AddSourceDiscoveryPlan(),
            CreateLoginFailures(),
            AddRunProcess(),
            CreatePhotos(),
            CreateSpeakerTombstones(),
            CreateLoginAttempts(),
            AddSpeakerAppearanceCount(),
        ]
    }
}
