import Foundation
import Synchronization

/// Each task's ECS `Task` object as DescribeTasks encodes it (the bytes of one `tasks`
/// element), kept until anything it is made of changes.
///
/// Clients poll DescribeTasks for the same tasks every few milliseconds while they wait for a
/// state, and rendering and encoding every task afresh was most of each answer's cost. An entry
/// is keyed on everything the element is made of: the whole task row (every column and the
/// document text, so any write to the task, whether or not it raises `version`), the
/// container instance's ARN and the tags. A lookup with any of them different encodes afresh,
/// so an entry can never answer a task differently from its row.
///
/// Bounded: at ``capacity`` entries those of STOPPED tasks are dropped, and all if more than
/// half would remain;
/// ``forget(taskID:)`` drops a task whose row is removed. Each ``ECSStore`` has its own.
final class TaskJSONCache: Sendable {
    /// Entries kept at most (one encoded task, 1-3 KB, and its row each).
    static let capacity = 4096
    /// What one encoded task is made of.
    struct Source: Equatable, Sendable {
        var record: TaskRecord
        var containerInstanceArn: String?
        /// Empty when the tags were not asked for (ECS shows `tags: []` then).
        var tags: [ECSTag]
    }

    private struct Entry {
        var source: Source
        var json: Data
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The task `source` describes, encoded as DescribeTasks answers it: the cached bytes if
    /// they were encoded from an equal source, else `render`ed and encoded now (and kept).
    func json(_ source: Source, render: (Source) -> ECSTask) throws(ECSError) -> Data {
        let id = source.record.id
        if let entry = entries.withLock({ $0[id] }), entry.source == source { return entry.json }
        let json = try ECSJSONCoding.encode(render(source))
        entries.withLock { entries in
            if entries.count >= Self.capacity, entries[id] == nil {
                // Down to half at least, so the scan is paid once per half a cache of new
                // tasks, not on every insert when few entries are STOPPED.
                entries = entries.filter { $0.value.source.record.lastStatus != .stopped }
                if entries.count > Self.capacity / 2 { entries.removeAll(keepingCapacity: true) }
            }
            entries[id] = Entry(source: source, json: json)
        }
        return json
    }

    /// Drops task `id`'s entry (its row was removed), to free its memory before eviction would.
    /// A DescribeTasks that read the row before the removal may put the entry back; that costs
    /// memory only, since every use compares the entry with the row read then.
    func forget(taskID id: String) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    /// Entries held now (for tests).
    var count: Int { entries.withLock { $0.count } }

    /// Whether task `id` has an entry (for tests).
    func holds(taskID id: String) -> Bool { entries.withLock { $0[id] != nil } }
}
