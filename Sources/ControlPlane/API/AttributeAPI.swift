import AWSProtocol
import GRDB

/// PutAttributes, DeleteAttributes, ListAttributes (attributes of container instances).
extension ECSAPI {
    /// One validated attribute of a PutAttributes / DeleteAttributes request.
    private struct AttributeChange {
        var request: ECSAttribute
        var name: String
        var value: String?
        var targetId: String
    }

    /// Validates the attributes of a request: up to 10, names and values as ECS allows, a target
    /// on each (a short ID needs `targetType`).
    private func attributeChanges(_ attributes: [ECSAttribute]?) throws(ECSError) -> [AttributeChange] {
        let attributes = try RequestValidation.required(attributes, "attributes")
        try RequestValidation.atMost(attributes, AttributeValidation.maxPerCall, member: "attributes")
        var changes: [AttributeChange] = []
        for attribute in attributes {
            let name = try AttributeValidation.name(attribute.name)
            let value = try AttributeValidation.value(attribute.value, name: name)
            try AttributeValidation.targetType(attribute.targetType)
            let targetId = try RequestValidation.required(attribute.targetId, "Attribute.targetId")
            if !ECSARN.looksLikeARN(targetId), attribute.targetType == nil {
                throw ECSError(.invalidParameterException,
                               "Attribute.targetType must be specified when targetId is not a full ARN.")
            }
            changes.append(AttributeChange(request: attribute, name: name, value: value, targetId: targetId))
        }
        return changes
    }

    /// The registered container instance `targetId` names in `cluster`; TargetNotFoundException
    /// if there is none.
    private static func target(_ db: Database, _ targetId: String, cluster: String,
                               _ context: ECSRequestContext) throws -> ContainerInstanceRecord {
        guard let record = try ContainerInstanceReference.find(db, targetId, cluster: cluster, context),
              record.status != .inactive
        else {
            throw ECSError(.targetNotFoundException, "Could not find the target \(targetId) in cluster \(cluster).")
        }
        return record
    }

    /// PutAttributes: creates or replaces custom attributes. A resource holds at most 10 custom
    /// attributes (AttributeLimitExceededException); the agent's do not count.
    func putAttributes(_ request: PutAttributesRequest, _ context: ECSRequestContext) throws(ECSError) -> AttributesResponse {
        let changes = try attributeChanges(request.attributes)
        return try transaction { db in
            let cluster = try ClusterReference.active(db, request.cluster, context)
            var touched: Set<String> = []
            for change in changes {
                let target = try Self.target(db, change.targetId, cluster: cluster.name, context)
                let key: [String: any DatabaseValueConvertible] = [
                    "targetType": ECSAttribute.containerInstanceTargetType, "targetId": target.id, "name": change.name,
                ]
                if var existing = try AttributeRecord.fetchOne(db, key: key) {
                    existing.value = change.value
                    try existing.update(db)
                } else {
                    try AttributeRecord(clusterName: cluster.name, targetId: target.id, name: change.name,
                                        value: change.value, source: .custom).insert(db)
                }
                touched.insert(target.id)
            }
            for id in touched {
                let custom = try AttributeRecord
                    .filter(Column("targetType") == ECSAttribute.containerInstanceTargetType && Column("targetId") == id
                            && Column("source") == AttributeRecord.Source.custom.rawValue)
                    .fetchCount(db)
                if custom > AttributeRecord.customLimit {
                    throw ECSError(.attributeLimitExceededException,
                                   "You can apply up to \(AttributeRecord.customLimit) custom attributes for each resource.")
                }
            }
            return AttributesResponse(attributes: changes.map(\.request))
        }
    }

    /// DeleteAttributes: removes the named attributes from their targets (the value, if given,
    /// is ignored, as ECS tells callers to leave it out).
    func deleteAttributes(_ request: DeleteAttributesRequest, _ context: ECSRequestContext) throws(ECSError) -> AttributesResponse {
        let changes = try attributeChanges(request.attributes)
        return try transaction { db in
            let cluster = try ClusterReference.active(db, request.cluster, context)
            for change in changes {
                let target = try Self.target(db, change.targetId, cluster: cluster.name, context)
                _ = try AttributeRecord.deleteOne(db, key: [
                    "targetType": ECSAttribute.containerInstanceTargetType, "targetId": target.id, "name": change.name,
                ])
            }
            return AttributesResponse(attributes: changes.map(\.request))
        }
    }

    /// ListAttributes: every attribute of the cluster's registered container instances, optionally
    /// of one name (and value), each with its target's full ARN; ordered by instance ID, then name.
    func listAttributes(_ request: ListAttributesRequest, _ context: ECSRequestContext) throws(ECSError) -> ListAttributesResponse {
        let operation = "ListAttributes"
        let targetType = try RequestValidation.required(request.targetType, "targetType")
        try AttributeValidation.targetType(targetType)
        if request.attributeValue != nil, request.attributeName == nil {
            throw ECSError(.invalidParameterException, "attributeName must be specified when attributeValue is.")
        }
        let page = try PageRequest(operation: operation, maxResults: request.maxResults, nextToken: request.nextToken,
                                   limit: PaginationLimits.listAttributes, keyCount: 2)
        let rows = try snapshot { db in
            let cluster = try ClusterReference.existing(db, request.cluster, context)
            var conditions = ["a.clusterName = ?", "a.targetType = ?", "ci.status != ?"]
            var arguments: [any DatabaseValueConvertible] = [
                cluster.name, targetType, ECSContainerInstanceStatus.inactive.rawValue,
            ]
            if let name = request.attributeName {
                conditions.append("a.name = ?")
                arguments.append(name)
            }
            if let value = request.attributeValue {
                conditions.append("a.value = ?")
                arguments.append(value)
            }
            if let after = page.after {
                conditions.append("(a.targetId > ? OR (a.targetId = ? AND a.name > ?))")
                arguments.append(contentsOf: [after[0], after[0], after[1]])
            }
            arguments.append(page.size + 1)
            return try Row.fetchAll(db, sql: """
                SELECT a.targetId AS targetId, a.name AS name, a.value AS value, ci.arn AS arn
                FROM attribute a JOIN containerInstance ci ON ci.id = a.targetId
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY a.targetId, a.name LIMIT ?
                """, arguments: StatementArguments(arguments))
                .map { row -> (id: String, attribute: ECSAttribute) in
                    (row["targetId"], ECSAttribute(name: row["name"], value: row["value"], targetType: targetType,
                                                   targetId: row["arn"]))
                }
        }
        let (items, token) = page.page(rows) { [$0.id, $0.attribute.name ?? ""] }
        return ListAttributesResponse(attributes: items.map(\.attribute), nextToken: token)
    }
}
