import ArgumentParser
import ControlPlane
import Foundation
import Runtime

/// `wharf run-task FILE.json`: runs an ECS task definition on this host directly.
struct RunTaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-task",
        abstract: "Run an ECS task definition (JSON, as register-task-definition takes it) on this host.")

    @Argument(help: "Task definition JSON file.")
    var file: String

    @Flag(help: "Follow the task until it stops and exit with its essential container's exit code.")
    var wait = false

    @OptionGroup var options: RuntimeOptions

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read task definition file \(file)")
        }
        let spec: TaskSpec
        do {
            spec = try TaskDefinition.decode(from: data).taskSpec()
        } catch {
            // Name the member too (ECS's wording alone often does not say which container).
            throw ValidationError("\(file): " + (error.field.isEmpty ? "" : "\(error.field): ") + "\(error)")
        }
        let runtime = try options.makeRuntime()
        let launched = try runtime.launch(spec)
        print("task \(launched.id)" + (launched.address.map { "  ip \($0)" } ?? "")
            + (launched.portBindings.isEmpty ? "" : "  ports " + launched.portBindings.map(\.description).joined(separator: ",")))
        guard wait else { return }
        let final = try runtime.wait(launched.id, timeout: .infinity)
        for container in final.containers {
            let exit = container.exitCode.map { "exit code \($0)" } ?? "not started"
            print("container \(container.name): \(exit)" + (container.reason.map { " (\($0))" } ?? ""))
        }
        print("stopped: \(final.stoppedReason ?? "-")")
        throw ExitCode(Int32(final.essentialExitCode ?? 1))
    }
}
