import AWSProtocol
import GRDB
import Scheduler

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
    /// INACTIVE by default, selected by `filter` (the cluster query language, parsed and matched
    /// by the Scheduler module as placement constraints are: `attribute:NAME`, `ec2InstanceId`,
    /// `registeredAt`, `runningTasksCount`, `agentConnected`, `agentVersion`, `task:group`),
    /// ordered by ID.
    func listContainerInstances(_ request: ListContainerInstancesRequest, _ context: ECSRequestContext) throws(ECSError) -> ListContainerInstancesResponse {
        let operation = "ListContainerInstances"
        if let status = request.status {
            try RequestValidation.oneOf(status, ContainerInstanceValidation.requestStatuses, member: "status")
        }
        let page = try PageRequest(operation: operation, maxResults: request.maxResults, nextToken: request.nextToken,
                                   limit: PaginationLimits.listContainerInstances, keyCount: 1)
        var filter: ClusterQuery?
        if let text = request.filter, !text.isEmpty {
            do {
                filter = try ClusterQuery(parsing: text)
            } catch {
                throw ECSError(.invalidParameterException, "Invalid filter expression: \(error.description)")
            }
        }
        let selected = try snapshot { db -> [ContainerInstanceRecord] in
            let cluster = try ClusterReference.existing(db, request.cluster, context)
            var query = ContainerInstanceRecord.filter(Column("clusterName") == cluster.name)
            if let status = request.status {
                query = query.filter(Column("status") == status)
            } else {
                query = query.filter(Column("status") != ECSContainerInstanceStatus.inactive)
            }
            if let after = page.after { query = query.filter(Column("id") > after[0]) }
            let records = try query.order(Column("id")).fetchAll(db)
            guard let filter else { return records }
            let matching = Set(try TaskPlacementCandidates.candidates(db, records).filter(filter.matches).map(\.id))
            return records.filter { matching.contains($0.id) }
        }
        let (items, token) = page.page(Array(selected.prefix(page.size + 1))) { [$0.id] }
        return ListContainerInstancesResponse(containerInstanceArns: items.map(\.arn), nextToken: token)
    }
}
