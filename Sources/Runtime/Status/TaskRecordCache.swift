import Foundation

/// Decoded launch records of tasks whose launch finished, by task id.
///
/// `status(of:)` runs on every wake-up of `wait` and before `remove`; decoding `spec.json` with
/// `JSONDecoder` each time cost more than the rest of building the status. A record is final
/// once its network is ready (`networkReadyAt` set: only the launch's last write has it), so
/// only final records are kept; an earlier version read while a launch is in progress (in
/// another process) is decoded again next time.
final class TaskRecordCache: @unchecked Sendable {
    private let lock = NSLock()
    private var records: [String: TaskRecord] = [:]

    /// The cached record of `id`, or the one `load` reads (kept if final).
    func record(of id: String, load: () -> TaskRecord?) -> TaskRecord? {
        if let cached = lock.withLock({ records[id] }) { return cached }
        guard let loaded = load() else { return nil }
        if loaded.networkReadyAt != nil { lock.withLock { records[id] = loaded } }
        return loaded
    }

    /// Keeps `record`, as written by the launch that made it, if it is final; so the first
    /// status read after a launch does not decode the file the launch just wrote.
    func store(_ record: TaskRecord) {
        guard record.networkReadyAt != nil else { return }
        lock.withLock { records[record.id] = record }
    }

    /// Forgets `id` (its directory is gone).
    func forget(_ id: String) {
        lock.withLock { _ = records.removeValue(forKey: id) }
    }
}
