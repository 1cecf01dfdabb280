import ArgumentParser

/// The `speakerdb` command: argument parsing and wiring only; the work lives in the libraries.
@main
struct SpeakerDB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speakerdb",
        abstract: "Build and serve a searchable database of event speakers.",
        discussion: """
            Settings come from the environment and a .env file in the working directory \
            (see `speakerdb config` and docs/CONFIGURATION.md).
            """,
        subcommands: [
            ServeCommand.self,
            DemoCommand.self,
            PipelineCommand.self,
            CrawlCommand.self,
            ExtractCommand.self,
            ResolveCommand.self,
            AliasesCommand.self,
            RunsCommand.self,
            EvalCommand.self,
            SourcesCommand.self,
            MigrateCommand.self,
            MigrateDatabaseCommand.self,
            SearchCommand.self,
            EmbedCommand.self,
            EnrichCommand.self,
            ConfigCommand.self,
            ImportCommand.self,
            ExportCommand.self,
            SpeakersCommand.self,
            EventsCommand.self,
            StatsCommand.self,
            SearchesCommand.self,
            WorkerCommand.self,
            JobsCommand.self,
            BackupCommand.self,
            RestoreCommand.self,
            UsersCommand.self,
            SnapshotCommand.self,
        ]
    )
}
