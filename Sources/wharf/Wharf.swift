import ArgumentParser

/// The `wharf` command: a self-hosted Amazon ECS for Linux.
@main
struct Wharf: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wharf",
        abstract: "A self-hosted Amazon ECS for Linux: real containers as ECS tasks.",
        subcommands: [
            RunTaskCommand.self, PsCommand.self, StopCommand.self, LogsCommand.self, RemoveCommand.self, ImageCommand.self, LBCommand.self, ServeCommand.self,
        ]
    )
}
