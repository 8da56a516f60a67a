import AWSProtocol

extension AutoScalingAPI {
    /// DescribeScalingPolicies and DescribeScheduledActions: the records of the targets and
    /// names `members` select, one page of them, queried in SQL in (resource id, name) order.
    ///
    /// - Parameters:
    ///   - operation: the operation (its tokens are bound to it).
    ///   - namesMember: the optional name filter (`PolicyNames`, `ScheduledActionNames`).
    ///   - outputMember: the list member of the response.
    ///   - maximumResults: the most (and the default) MaxResults.
    func describeTargetScoped<R: TargetScopedRecord>(
        _ type: R.Type, _ members: JSONMembers, operation: String, namesMember: String, outputMember: String,
        maximumResults: Int = Pagination.maximumResults, render: (R) -> JSONValue
    ) throws(AWSServiceError) -> JSONValue {
        let resourceIDs = try ScalableTargetKey.resourceFilter(members)
        var names = try members.optionalStringList(namesMember)
        if names?.isEmpty == true { names = nil }
        let request = try Pagination.request(members, operation: operation, keyCount: 2, maximum: maximumResults)
        let records = try snapshot { [names] db in
            try store.records(R.self, db, resourceIDs: resourceIDs, names: names, after: request.after, limit: request.fetchLimit)
        }
        let page = request.page(records) { [$0.resourceID, $0.name] }
        return Pagination.output([outputMember: .array(page.items.map(render))], nextToken: page.nextToken)
    }

    /// DeleteScalingPolicy and DeleteScheduledAction: deletes the record `nameMember` names
    /// on the target `members` name; ObjectNotFoundException, in AWS's words, when there is none.
    ///
    /// - Parameters:
    ///   - noun: what the record is called in the message (`scaling policy`, `scheduled action`).
    ///   - nameLabel: how the message labels its name (`policy name`, `scheduled action name`).
    func deleteTargetScoped<R: TargetScopedRecord>(
        _ type: R.Type, _ members: JSONMembers, nameMember: String, noun: String, nameLabel: String
    ) throws(AWSServiceError) -> JSONValue {
        let key = try ScalableTargetKey(members)
        let name = try members.requiredString(nameMember)
        try transaction { db in
            guard try store.deleteRecord(R.self, resourceID: key.resourceID, name: name, db) else {
                throw AutoScalingError.objectNotFound("No \(noun) found for service namespace: ecs, resource ID: \(key.resourceID), "
                    + "scalable dimension: \(ScalableTargetKey.dimension), \(nameLabel): \(name)")
            }
        }
        return .emptyObject
    }
}
