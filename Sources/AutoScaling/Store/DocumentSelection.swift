import GRDB

/// What a Describe operation selects, as SQL: optional sets of resource ids and names (nil
/// selects any) and the keyset cursor of the page, built into one `WHERE` clause with its
/// arguments.
struct DocumentSelection {
    private var conditions: [String] = []
    private(set) var arguments = StatementArguments()

    /// Keeps rows whose `column` is one of `values`; no condition when `values` is nil.
    mutating func require(_ column: String, in values: [String]?) {
        guard let values else { return }
        conditions.append("\(column) IN (\(databaseQuestionMarks(count: values.count)))")
        arguments += StatementArguments(values)
    }

    /// Adds `condition` with its `arguments`.
    mutating func require(_ condition: String, _ arguments: StatementArguments) {
        conditions.append(condition)
        self.arguments += arguments
    }

    /// `WHERE ...`, or nothing when no condition was added.
    var whereClause: String {
        conditions.isEmpty ? "" : "WHERE " + conditions.map { "(\($0))" }.joined(separator: " AND ")
    }
}
