import Synchronization

/// Decoded task documents, keyed by task ID and valid only for the exact stored text they were
/// decoded from. DescribeTasks, the reconciler, the service controller and autoscaling read the
/// same rows over and over (the last three every second), and decoding each row's JSON document
/// was most of their cost; a document whose text changed (any write to the task) is decoded
/// afresh, so an entry can never describe a task differently from its row. Read it through
/// ``TaskRecord/decodedDocument``.
///
/// Bounded: when ``capacity`` entries are held the cache is emptied and refills from the rows
/// read next.
final class TaskDocumentCache: Sendable {
    /// Entries kept at most (a few kilobytes each).
    static let capacity = 4096
    /// The cache renderings share.
    static let shared = TaskDocumentCache()

    private struct Entry {
        var text: String
        var document: TaskDocument
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The document of task `id` whose stored text is `text`.
    func document(taskID id: String, text: String) -> TaskDocument {
        if let entry = entries.withLock({ $0[id] }), entry.text == text { return entry.document }
        let document = TaskDocument.decode(text)
        remember(taskID: id, text: text, document: document)
        return document
    }

    /// Records that task `id`'s stored text `text` is `document` encoded (see
    /// ``TaskDocument/encodedForTask(_:)``): the writer of a task already holds what the next
    /// reader would decode. Harmless if the write does not commit: entries are only ever used
    /// for their exact text.
    func remember(taskID id: String, text: String, document: TaskDocument) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[id] = Entry(text: text, document: document)
        }
    }

    /// Entries held now (for tests).
    var count: Int { entries.withLock { $0.count } }
}
