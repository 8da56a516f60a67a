import ArgumentParser
import Foundation
import Runtime

/// `wharf logs TASK [CONTAINER] [--follow]`: prints a container's stdout and stderr.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print a container's output.")

    @Argument(help: "Task id or a unique prefix of it.")
    var task: String

    @Argument(help: "Container name (may be left out when the task has one container).")
    var container: String?

    @Flag(name: .shortAndLong, help: "Keep printing new output until the task stops.")
    var follow = false

    @OptionGroup var options: RuntimeOptions

    func run() throws {
        let runtime = try options.makeRuntime()
        let id = try runtime.resolveTaskID(task)
        let status = try runtime.status(of: id)
        let name: String
        if let container {
            name = container
        } else if status.containers.count == 1, let only = status.containers.first {
            name = only.name
        } else {
            throw ValidationError(
                "task \(id) has several containers; name one of: \(status.containers.map(\.name).joined(separator: ", "))")
        }
        let path = try runtime.logPath(task: id, container: name)
        // Rotated files first, oldest first, then the live file.
        var rotated: [String] = []
        var index = 1
        while FileManager.default.fileExists(atPath: "\(path).\(index)") {
            rotated.insert("\(path).\(index)", at: 0)
            index += 1
        }
        for file in rotated { copy(file, from: 0) }
        var offset = copy(path, from: 0)
        guard follow else { return }
        while true {
            let stopped = (try? runtime.status(of: id))?.lastStatus == "STOPPED"
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if size < offset { offset = 0 }  // rotated under us: the live file is new
            offset = copy(path, from: offset)
            if stopped { return }
            usleep(100_000)
        }
    }

    /// Prints a file from `offset`; returns the offset after the last byte printed.
    @discardableResult
    private func copy(_ path: String, from offset: Int) -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { return offset }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(offset))
        let data = handle.readDataToEndOfFile()
        FileHandle.standardOutput.write(data)
        return offset + data.count
    }
}
