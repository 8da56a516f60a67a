extension TaskRecord {
    /// The row's ``TaskDocument``, decoded through ``TaskDocumentCache/shared``: the reconciler,
    /// the service controller and autoscaling read the same unchanged rows every second, and
    /// decode each stored text once.
    var decodedDocument: TaskDocument {
        TaskDocumentCache.shared.document(taskID: id, text: document)
    }
}
