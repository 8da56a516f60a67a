import ArgumentParser
import Runtime

/// `wharf stop TASK`: stops a task (SIGTERM, then SIGKILL after each container's stop timeout).
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop a task.")

    @Argument(help: "Task id or a unique prefix of it.")
    var task: String

    @Option(help: "Stopped reason recorded on the task.")
    var reason = "Task stopped by user"

    @Flag(help: "Return at once instead of waiting until the task has stopped.")
    var noWait = false

    @OptionGroup var options: RuntimeOptions

    func run() throws {
        let runtime = try options.makeRuntime()
        let id = try runtime.resolveTaskID(task)
        try runtime.stop(id, reason: reason)
        guard !noWait else { return }
        // The longest stop timeout ECS allows is 120 s; allow for it plus teardown.
        let final = try runtime.wait(id, timeout: 150)
        print("task \(id) \(final.lastStatus): \(final.stoppedReason ?? "-")")
    }
}

/// `wharf rm TASK`: removes a stopped task's record, logs, writable layers and volumes.
struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove a stopped task's record, logs, container writable layers and task volumes.")

    @Argument(help: "Task id or a unique prefix of it.")
    var task: String

    @OptionGroup var options: RuntimeOptions

    func run() throws {
        let runtime = try options.makeRuntime()
        try runtime.remove(try runtime.resolveTaskID(task))
        // The runtime deletes the files in the background; this process must not exit first.
        runtime.finishRemovals()
    }
}
