import GRDB

/// Task rows read and written column by column rather than through `Codable`: the reconciler,
/// DescribeTasks and StopTask read and write task rows many times per task, and GRDB's
/// `Codable` record coding (a decoder per row, the port lists through `JSONDecoder`) cost more
/// than the queries themselves. The stored form is unchanged: the same columns, the port lists
/// as JSON arrays of integers.
extension TaskRecord {
    /// The task table's columns, in table order.
    enum ColumnName {
        static let id = "id"
        static let arn = "arn"
        static let clusterName = "clusterName"
        static let taskDefinitionArn = "taskDefinitionArn"
        static let containerInstanceId = "containerInstanceId"
        static let launchType = "launchType"
        static let serviceArn = "serviceArn"
        static let startedBy = "startedBy"
        static let group = "group"
        static let desiredStatus = "desiredStatus"
        static let lastStatus = "lastStatus"
        static let reservedCPU = "reservedCPU"
        static let reservedMemory = "reservedMemory"
        static let reservedPorts = "reservedPorts"
        static let reservedUDPPorts = "reservedUDPPorts"
        static let createdAt = "createdAt"
        static let startedAt = "startedAt"
        static let stoppingAt = "stoppingAt"
        static let stoppedAt = "stoppedAt"
        static let stopCode = "stopCode"
        static let stoppedReason = "stoppedReason"
        static let version = "version"
        static let document = "document"
    }

    /// Reads a row of the task table (`SELECT *` or every column by name).
    public init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: ColumnName.id), arn: try row.decode(forColumn: ColumnName.arn),
            clusterName: try row.decode(forColumn: ColumnName.clusterName),
            taskDefinitionArn: try row.decode(forColumn: ColumnName.taskDefinitionArn),
            containerInstanceId: try row.decode(forColumn: ColumnName.containerInstanceId),
            launchType: try row.decode(forColumn: ColumnName.launchType), serviceArn: try row.decode(forColumn: ColumnName.serviceArn),
            startedBy: try row.decode(forColumn: ColumnName.startedBy), group: try row.decode(forColumn: ColumnName.group),
            desiredStatus: try row.decode(forColumn: ColumnName.desiredStatus), lastStatus: try row.decode(forColumn: ColumnName.lastStatus),
            reservedCPU: try row.decode(forColumn: ColumnName.reservedCPU), reservedMemory: try row.decode(forColumn: ColumnName.reservedMemory),
            reservedPorts: try Self.ports(try row.decode(forColumn: ColumnName.reservedPorts)),
            reservedUDPPorts: try Self.ports(try row.decode(forColumn: ColumnName.reservedUDPPorts)),
            createdAt: try row.decode(forColumn: ColumnName.createdAt), startedAt: try row.decode(forColumn: ColumnName.startedAt),
            stoppingAt: try row.decode(forColumn: ColumnName.stoppingAt), stoppedAt: try row.decode(forColumn: ColumnName.stoppedAt),
            stopCode: try row.decode(forColumn: ColumnName.stopCode), stoppedReason: try row.decode(forColumn: ColumnName.stoppedReason),
            version: try row.decode(forColumn: ColumnName.version), document: try row.decode(forColumn: ColumnName.document))
    }

    /// Writes every column.
    public func encode(to container: inout PersistenceContainer) throws {
        container[ColumnName.id] = id
        container[ColumnName.arn] = arn
        container[ColumnName.clusterName] = clusterName
        container[ColumnName.taskDefinitionArn] = taskDefinitionArn
        container[ColumnName.containerInstanceId] = containerInstanceId
        container[ColumnName.launchType] = launchType.rawValue
        container[ColumnName.serviceArn] = serviceArn
        container[ColumnName.startedBy] = startedBy
        container[ColumnName.group] = group
        container[ColumnName.desiredStatus] = desiredStatus.rawValue
        container[ColumnName.lastStatus] = lastStatus.rawValue
        container[ColumnName.reservedCPU] = reservedCPU
        container[ColumnName.reservedMemory] = reservedMemory
        container[ColumnName.reservedPorts] = Self.portsText(reservedPorts)
        container[ColumnName.reservedUDPPorts] = Self.portsText(reservedUDPPorts)
        container[ColumnName.createdAt] = createdAt
        container[ColumnName.startedAt] = startedAt
        container[ColumnName.stoppingAt] = stoppingAt
        container[ColumnName.stoppedAt] = stoppedAt
        container[ColumnName.stopCode] = stopCode
        container[ColumnName.stoppedReason] = stoppedReason
        container[ColumnName.version] = version
        container[ColumnName.document] = document
    }

    /// The task `id`, through a statement compiled once per connection.
    static func fetch(_ db: Database, id: String) throws -> TaskRecord? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM task WHERE id = ?"), arguments: [id])
    }

    /// The tasks among `ids` (in no particular order), through a statement compiled once per
    /// connection and number of IDs.
    static func fetchAll(_ db: Database, ids: [String]) throws -> [TaskRecord] {
        guard !ids.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        return try fetchAll(db.cachedStatement(sql: "SELECT * FROM task WHERE id IN (\(placeholders))"),
                            arguments: StatementArguments(ids))
    }

    /// A port list's stored JSON text (`[80,443]`: what `JSONEncoder` writes for `[Int]`).
    static func portsText(_ ports: [Int]) -> String {
        "[" + ports.map(String.init).joined(separator: ",") + "]"
    }

    /// A port list from its stored JSON text (`[]`, `[80, 443]`: a JSON array of integers).
    static func ports(_ text: String) throws(TaskRowError) -> [Int] {
        if text == "[]" { return [] }
        let list = Substring(text).trimmingBlanks
        guard list.first == "[", list.last == "]" else { throw .invalidPortList(text) }
        let members = list.dropFirst().dropLast()
        if members.trimmingBlanks.isEmpty { return [] }
        var ports: [Int] = []
        for member in members.split(separator: ",", omittingEmptySubsequences: false) {
            guard let port = Int(member.trimmingBlanks) else { throw .invalidPortList(text) }
            ports.append(port)
        }
        return ports
    }
}

/// A task row's column holds a value no version of Wharf writes.
enum TaskRowError: Error, CustomStringConvertible {
    /// A port list column is not a JSON array of integers.
    case invalidPortList(String)

    var description: String {
        switch self {
        case .invalidPortList(let text): "not a JSON list of ports: \(text)"
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces, tabs and line breaks (JSON's blanks).
    fileprivate var trimmingBlanks: Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return self[first...last]
    }
}
