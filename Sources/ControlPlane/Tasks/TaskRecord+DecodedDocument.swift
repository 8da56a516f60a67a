extension TaskRecord {
    /// The row's ``TaskDocument``, decoded through ``TaskDocumentCache/shared``: the reconciler,
    /// the service controller and autoscaling read the same unchanged rows every second, and
    /// decode each stored text once.
    var decodedDocument: TaskDocument {
        TaskDocumentCache.shared.document(taskID: id, text: document)
    }
}

extension TaskDocument {
    /// The text to store in task `id`'s row, remembered in ``TaskDocumentCache/shared`` so
    /// that the rows read back after the write are not decoded again.
    func encodedForTask(_ id: String) -> String {
        let text = encoded()
        TaskDocumentCache.shared.remember(taskID: id, text: text, document: self)
        return text
    }
}
