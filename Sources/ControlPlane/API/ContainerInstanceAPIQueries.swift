import AWSProtocol
import GRDB

/// DescribeContainerInstances and ListContainerInstances.
extension ECSAPI {
    /// DescribeContainerInstances: up to 100 IDs or ARNs; unknown ones are failures `MISSING`.
    /// Deregistered (INACTIVE) instances are described as such.
    func describeContainerInstances(_ request: DescribeContainerInstancesRequest, _ context: ECSRequestContext) throws(ECSError) -> ContainerInstancesResponse {
        let references = try RequestValidation.required(request.containerInstances, "containerInstances")
        try RequestValidation.atMost(references, ContainerInstanceValidation.maxDescribe, member: "containerInstances")
        for value in request.include ?? [] {
            try RequestValidation.oneOf(value, ContainerInstanceValidation.includeFields, member: "include")
        }
        let include = Set(request.include ?? [])
        return try snapshot { db in
            let cluster = try ClusterReference.existing(db, request.cluster, context)
            var found: [ContainerInstanceRecord] = []
            var failures: [ECSFailure] = []
            for reference in references {
                if let record = try ContainerInstanceReference.find(db, reference, cluster: cluster.name, context) {
                    if !found.contains(where: { $0.id == record.id }) { found.append(record) }
                } else {
                    failures.append(ECSFailure(arn: ContainerInstanceReference.failureARN(reference, cluster: cluster.name, context),
                                               reason: ECSFailure.missingReason))
                }
            }
            let instances = try ContainerInstanceRendering.render(
                db, found, withTags: include.contains("TAGS"), withHealth: include.contains("CONTAINER_INSTANCE_HEALTH"))
            return ContainerInstancesResponse(containerInstances: instances, failures: failures)
        }
    }

    /// ListContainerInstances: the ARNs of the cluster's instances in one status, or in any but
    /// INACTIVE by default, selected by `filter` (cluster query language, through
    /// ``containerInstanceFilter``), ordered by ID.
    func listContainerInstances(_ request: ListContainerInstancesRequest, _ context: ECSRequestContext) throws(ECSError) -> ListContainerInstancesResponse {
        let operation = "ListContainerInstances"
        if let status = request.status {
            try RequestValidation.oneOf(status, ContainerInstanceValidation.requestStatuses, member: "status")
        }
        let page = try PageRequest(operation: operation, maxResults: request.maxResults, nextToken: request.nextToken,
                                   limit: PaginationLimits.listContainerInstances, keyCount: 1)
        let filter = request.filter.flatMap { $0.isEmpty ? nil : $0 }
        let evaluator = containerInstanceFilter
        if filter != nil, evaluator == nil {
            throw ECSError(.invalidParameterException,
                           "The filter parameter (cluster query language) is not supported by this endpoint yet.")
        }
        let candidates = try snapshot { db in
            let cluster = try ClusterReference.existing(db, request.cluster, context)
            var query = ContainerInstanceRecord.filter(Column("clusterName") == cluster.name)
            if let status = request.status {
                query = query.filter(Column("status") == status)
            } else {
                query = query.filter(Column("status") != ECSContainerInstanceStatus.inactive)
            }
            if let after = page.after { query = query.filter(Column("id") > after[0]) }
            let records = try query.order(Column("id")).fetchAll(db)
            guard filter != nil else { return records.map { (record: $0, subject: nil as ContainerInstanceFilterSubject?) } }
            let usage = try ContainerInstanceUsage.fetch(db, instanceIDs: records.map(\.id))
            return try records.map { record in
                let attributes = try AttributeRecord.forContainerInstance(db, id: record.id)
                let u = usage[record.id] ?? ContainerInstanceUsage()
                let subject = ContainerInstanceFilterSubject(
                    id: record.id, arn: record.arn, ec2InstanceId: record.ec2InstanceId, status: record.status,
                    agentConnected: record.agentConnected, agentVersion: record.versionInfo.agentVersion,
                    dockerVersion: record.versionInfo.dockerVersion, registeredAt: record.registeredAt,
                    runningTasksCount: u.runningTasks, pendingTasksCount: u.pendingTasks,
                    attributes: Dictionary(attributes.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }))
                return (record: record, subject: Optional(subject))
            }
        }
        var selected = candidates.map(\.record)
        if let filter, let evaluator {
            let chosen = try evaluator.select(expression: filter, from: candidates.compactMap(\.subject))
            let ids = Set(chosen.map(\.id))
            selected = selected.filter { ids.contains($0.id) }
        }
        let (items, token) = page.page(Array(selected.prefix(page.size + 1))) { [$0.id] }
        return ListContainerInstancesResponse(containerInstanceArns: items.map(\.arn), nextToken: token)
    }
}
