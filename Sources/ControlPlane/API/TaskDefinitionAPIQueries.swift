import AWSProtocol
import GRDB

/// DescribeTaskDefinition, ListTaskDefinitions, ListTaskDefinitionFamilies.
extension ECSAPI {
    /// The `include` values of DescribeTaskDefinition (`TaskDefinitionField`).
    static let taskDefinitionFields = ["TAGS"]
    /// ListTaskDefinitions `status` (`TaskDefinitionStatus`).
    static let taskDefinitionStatuses = ECSTaskDefinitionStatus.allCases.map(\.rawValue)
    /// ListTaskDefinitionFamilies `status` (`TaskDefinitionFamilyStatus`).
    static let taskDefinitionFamilyStatuses = ["ACTIVE", "INACTIVE", "ALL"]
    /// ListTaskDefinitions `sort` (`SortOrder`).
    static let sortOrders = ["ASC", "DESC"]

    /// DescribeTaskDefinition: by family (latest ACTIVE revision), `family:revision` (any status)
    /// or ARN. ClientException "Unable to describe task definition." when there is no such revision.
    func describeTaskDefinition(_ request: DescribeTaskDefinitionRequest, _ context: ECSRequestContext) throws(ECSError) -> DescribeTaskDefinitionResponse {
        let text = try RequestValidation.required(request.taskDefinition, "taskDefinition", .clientException)
        for value in request.include ?? [] {
            try RequestValidation.oneOf(value, Self.taskDefinitionFields, member: "include")
        }
        let withTags = request.include?.contains("TAGS") ?? false
        let reference = try TaskDefinitionReference.parse(text, context)
        return try snapshot { db in
            guard let record = try reference.resolve(db) else {
                throw ECSError(.clientException, "Unable to describe task definition.")
            }
            let tags = withTags ? try TagRecord.tags(db, resourceArn: record.arn) : nil
            return DescribeTaskDefinitionResponse(taskDefinition: record.rendered, tags: tags)
        }
    }

    /// ListTaskDefinitions: ARNs of one status (ACTIVE by default), optionally of one family
    /// (`familyPrefix` is "the full family name"), sorted by family then revision, ASC or DESC.
    func listTaskDefinitions(_ request: ListTaskDefinitionsRequest, _ context: ECSRequestContext) throws(ECSError) -> ListTaskDefinitionsResponse {
        let operation = "ListTaskDefinitions"
        let status = request.status ?? ECSTaskDefinitionStatus.active.rawValue
        try RequestValidation.oneOf(status, Self.taskDefinitionStatuses, member: "status")
        let sort = request.sort ?? "ASC"
        try RequestValidation.oneOf(sort, Self.sortOrders, member: "sort")
        let page = try PageRequest(operation: operation, maxResults: request.maxResults, nextToken: request.nextToken,
                                   limit: PaginationLimits.listTaskDefinitions, keyCount: 2)
        var afterRevision: Int?
        if let after = page.after {
            guard let revision = Int(after[1]) else {
                throw ECSError(.invalidParameterException, "The nextToken is not valid for \(operation).")
            }
            afterRevision = revision
        }
        let descending = sort == "DESC"
        let rows = try snapshot { db in
            var query = TaskDefinitionRecord.filter(Column("status") == status)
            if let family = request.familyPrefix, !family.isEmpty { query = query.filter(Column("family") == family) }
            if let after = page.after, let revision = afterRevision {
                let family = Column("family"), rev = Column("revision")
                query = descending
                    ? query.filter(family < after[0] || (family == after[0] && rev < revision))
                    : query.filter(family > after[0] || (family == after[0] && rev > revision))
            }
            query = descending
                ? query.order(Column("family").desc, Column("revision").desc)
                : query.order(Column("family"), Column("revision"))
            return try query.limit(page.size + 1).fetchAll(db)
        }
        let (items, token) = page.page(rows) { [$0.family, String($0.revision)] }
        return ListTaskDefinitionsResponse(taskDefinitionArns: items.map(\.arn), nextToken: token)
    }

    /// ListTaskDefinitionFamilies: families with at least one revision left (DELETE_IN_PROGRESS
    /// included), whose name begins with `familyPrefix`; `status` ACTIVE = has an ACTIVE revision,
    /// INACTIVE = has none, ALL (the default) = both.
    func listTaskDefinitionFamilies(_ request: ListTaskDefinitionFamiliesRequest) throws(ECSError) -> ListTaskDefinitionFamiliesResponse {
        let operation = "ListTaskDefinitionFamilies"
        let status = request.status ?? "ALL"
        try RequestValidation.oneOf(status, Self.taskDefinitionFamilyStatuses, member: "status")
        let page = try PageRequest(operation: operation, maxResults: request.maxResults, nextToken: request.nextToken,
                                   limit: PaginationLimits.listTaskDefinitionFamilies, keyCount: 1)
        let families = try snapshot { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = [ECSTaskDefinitionStatus.active.rawValue]
            if let prefix = request.familyPrefix, !prefix.isEmpty {
                conditions.append("substr(family, 1, length(?)) = ?")
                arguments.append(contentsOf: [prefix, prefix])
            }
            if let after = page.after {
                conditions.append("family > ?")
                arguments.append(after[0])
            }
            let having: String
            switch status {
            case "ACTIVE": having = "HAVING hasActive = 1"
            case "INACTIVE": having = "HAVING hasActive = 0"
            default: having = ""
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments.append(page.size + 1)
            return try String.fetchAll(db, sql: """
                SELECT family FROM (
                    SELECT family, MAX(status = ?) AS hasActive FROM taskDefinition \(whereClause)
                    GROUP BY family \(having)
                ) ORDER BY family LIMIT ?
                """, arguments: StatementArguments(arguments))
        }
        let (items, token) = page.page(families) { [$0] }
        return ListTaskDefinitionFamiliesResponse(families: items, nextToken: token)
    }
}
