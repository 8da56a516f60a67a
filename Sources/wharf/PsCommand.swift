import ArgumentParser
import Foundation
import Runtime

/// `wharf ps`: lists tasks on this host.
struct PsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List tasks on this host.")

    @Flag(name: .shortAndLong, help: "Show stopped tasks too.")
    var all = false

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var options: RuntimeOptions

    func run() throws {
        let runtime = try options.makeRuntime()
        let tasks = runtime.tasks().filter { all || $0.lastStatus != "STOPPED" }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(tasks), as: UTF8.self))
            return
        }
        var rows = [["TASK", "DEFINITION", "STATUS", "IP", "PORTS", "CONTAINERS", "AGE"]]
        for task in tasks {
            let containers = task.containers.map { container in
                var text = "\(container.name):\(container.lastStatus.lowercased())"
                if let code = container.exitCode { text += "(\(code))" }
                if container.healthStatus != "UNKNOWN" { text += ",\(container.healthStatus.lowercased())" }
                return text
            }.joined(separator: " ")
            rows.append([
                String(task.id.prefix(12)), task.taskDefinition ?? "-", task.lastStatus, task.address ?? "-",
                task.portBindings.isEmpty ? "-" : task.portBindings.map(\.description).joined(separator: ","), containers,
                Self.age(since: task.createdAt),
            ])
        }
        print(Table.render(rows))
    }

    static func age(since date: Date) -> String {
        let seconds = Int(Date().timeIntervalSince(date))
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        return "\(seconds / 3600)h"
    }
}

/// Left-aligned text columns.
enum Table {
    static func render(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n")
    }
}
