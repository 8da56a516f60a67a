import Foundation

/// A ``TasksResponse`` whose tasks are already encoded (from ``TaskJSONCache``): DescribeTasks
/// assembles its answer from them instead of encoding every task again.
struct EncodedTasksResponse {
    /// Each task's JSON object, in answer order.
    var tasks: [Data]
    var failures: [ECSFailure]

    /// The answer: the same bytes ``ECSJSONCoding/encode(_:)`` writes for a ``TasksResponse``
    /// of the same tasks (keys sorted: `failures` before `tasks`; no blanks).
    func encoded() throws(ECSError) -> Data {
        let failuresJSON = try ECSJSONCoding.encode(failures)
        var body = Data()
        body.reserveCapacity(failuresJSON.count + tasks.reduce(32) { $0 + $1.count + 1 })
        body.append(contentsOf: #"{"failures":"#.utf8)
        body.append(failuresJSON)
        body.append(contentsOf: #","tasks":["#.utf8)
        for (index, task) in tasks.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(task)
        }
        body.append(contentsOf: "]}".utf8)
        return body
    }
}
