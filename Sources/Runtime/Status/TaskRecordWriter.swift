import Foundation
import LinuxHost

/// Writes a launch's `spec.json` (its ``TaskRecord``), encoding the task spec only once.
///
/// A launch writes its record twice (before anything exists on the host, then with the
/// network), and the spec is nearly all of it: the spec's JSON is kept and the few other
/// members are encoded around it. The file decodes as a plain ``TaskRecord``.
struct TaskRecordWriter {
    /// The record's members other than the spec, under the same keys.
    private struct Head: Encodable {
        var id: String
        var launchStartedAt: Int64
        var networkReadyAt: Int64?
        var address: String?
        var subnet: String?
        var hostname: String?
    }

    private let specJSON: String

    init(spec: TaskSpec, taskID: String) throws(SystemError) {
        guard let data = try? Self.encoder().encode(spec) else {
            throw SystemError(step: "encode the spec of task \(taskID)", call: "JSONEncoder", errno: EINVAL)
        }
        specJSON = String(decoding: data, as: UTF8.self)
    }

    /// Writes `record` (whose spec is the one this writer was made for) atomically to `path`.
    func write(_ record: TaskRecord, to path: String) throws(SystemError) {
        let head = Head(
            id: record.id, launchStartedAt: record.launchStartedAt, networkReadyAt: record.networkReadyAt,
            address: record.address, subnet: record.subnet, hostname: record.hostname)
        // The head is a JSON object with at least the id, so it ends in "}" and is never empty.
        guard let data = try? Self.encoder().encode(head), data.last == UInt8(ascii: "}") else {
            throw SystemError(step: "encode the record of task \(record.id)", call: "JSONEncoder", errno: EINVAL)
        }
        try FileSystem.writeAtomically(path, String(decoding: data.dropLast(), as: UTF8.self) + #","spec":"# + specJSON + "}")
    }

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
