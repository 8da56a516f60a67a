import GRDB

/// One task definition revision. `document` is the definition as DescribeTaskDefinition returns
/// it (defaults filled, cpu/memory in integer form); `status` and the timestamps live in their
/// own columns and are laid over the document when it is rendered.
public struct TaskDefinitionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "taskDefinition"

    public var arn: String
    public var family: String
    public var revision: Int
    public var status: ECSTaskDefinitionStatus
    public var document: TaskDefinition
    /// Seconds since the epoch.
    public var registeredAt: Double
    public var registeredBy: String?
    public var deregisteredAt: Double?
    public var deleteRequestedAt: Double?

    public init(
        arn: String, family: String, revision: Int, status: ECSTaskDefinitionStatus = .active,
        document: TaskDefinition, registeredAt: Double, registeredBy: String?,
        deregisteredAt: Double? = nil, deleteRequestedAt: Double? = nil
    ) {
        self.arn = arn
        self.family = family
        self.revision = revision
        self.status = status
        self.document = document
        self.registeredAt = registeredAt
        self.registeredBy = registeredBy
        self.deregisteredAt = deregisteredAt
        self.deleteRequestedAt = deleteRequestedAt
    }

    /// The document with the row's ARN, revision, status and timestamps filled in.
    public var rendered: TaskDefinition {
        var td = document
        td.taskDefinitionArn = arn
        td.family = family
        td.revision = revision
        td.status = status.rawValue
        td.registeredAt = registeredAt
        td.registeredBy = registeredBy
        td.deregisteredAt = deregisteredAt
        td.deleteRequestedAt = deleteRequestedAt
        return td
    }

    /// Revision `revision` of `family`, whatever its status.
    public static func find(_ db: Database, family: String, revision: Int) throws -> TaskDefinitionRecord? {
        try filter(Column("family") == family && Column("revision") == revision).fetchOne(db)
    }

    /// The highest ACTIVE revision of `family` (what a bare family name refers to).
    public static func latestActive(_ db: Database, family: String) throws -> TaskDefinitionRecord? {
        try filter(Column("family") == family && Column("status") == ECSTaskDefinitionStatus.active)
            .order(Column("revision").desc)
            .fetchOne(db)
    }

    /// Removes the DELETE_IN_PROGRESS revisions no longer referenced by a task that holds
    /// resources, a service that is not INACTIVE, or a deployment that is not INACTIVE, with
    /// their tags (ECS deletes such revisions "permanently" once nothing uses them). Returns the
    /// ARNs removed. The service controller calls this periodically.
    @discardableResult
    public static func purgeUnreferenced(_ db: Database) throws -> [String] {
        let heldStatuses = ECSTaskStatus.allCases.filter(\.holdsResources).map(\.rawValue)
        let placeholders = heldStatuses.map { _ in "?" }.joined(separator: ",")
        let arns = try String.fetchAll(db, sql: """
            SELECT arn FROM taskDefinition td
            WHERE td.status = ?
              AND NOT EXISTS (SELECT 1 FROM task t WHERE t.taskDefinitionArn = td.arn AND t.lastStatus IN (\(placeholders)))
              AND NOT EXISTS (SELECT 1 FROM service s WHERE s.taskDefinitionArn = td.arn AND s.status != ?)
              AND NOT EXISTS (SELECT 1 FROM deployment d WHERE d.taskDefinitionArn = td.arn AND d.status != ?)
            ORDER BY family, revision
            """, arguments: StatementArguments(
                [ECSTaskDefinitionStatus.deleteInProgress.rawValue] + heldStatuses
                    + [ECSServiceStatus.inactive.rawValue, ECSDeploymentStatus.inactive.rawValue]))
        for arn in arns {
            _ = try deleteOne(db, key: arn)
            try TagRecord.removeAll(db, resourceArn: arn)
        }
        return arns
    }
}

/// A task definition family and the last revision number it handed out.
public struct TaskDefinitionFamilyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "taskDefinitionFamily"

    public var family: String
    public var lastRevision: Int

    public init(family: String, lastRevision: Int) {
        self.family = family
        self.lastRevision = lastRevision
    }
}
