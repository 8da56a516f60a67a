import AWSProtocol
import GRDB

/// DescribeServices and ListServices.
extension ECSAPI {
    /// ECS: "You may specify up to 10 services to describe."
    static let maxDescribeServices = 10

    func describeServices(_ request: DescribeServicesRequest, _ context: ECSRequestContext) throws(ECSError) -> DescribeServicesResponse {
        let names = try RequestValidation.required(request.services, "services")
        try RequestValidation.atMost(names, Self.maxDescribeServices, member: "services")
        let include = request.include ?? []
        for item in include { try RequestValidation.oneOf(item, TaskValidation.includeFields, member: "include") }
        return try snapshot { db -> DescribeServicesResponse in
            let cluster = try ClusterReference.existing(db, request.cluster, context)
            var services: [ECSService] = []
            var failures: [ECSFailure] = []
            for text in names {
                if let record = try ServiceReference.find(db, text, cluster: cluster.name, context) {
                    services.append(try ServiceRendering.render(db, record, withTags: include.contains("TAGS"), context: context))
                } else {
                    failures.append(ECSFailure(arn: ServiceReference.failureARN(text, cluster: cluster.name, context), reason: ECSFailure.missingReason))
                }
            }
            return DescribeServicesResponse(services: services, failures: failures)
        }
    }

    /// ListServices: the cluster's ACTIVE services (a deleted service, DRAINING while its tasks
    /// stop and INACTIVE after, "is no longer visible in ... the ListServices API operation").
    func listServices(_ request: ListServicesRequest, _ context: ECSRequestContext) throws(ECSError) -> ListServicesResponse {
        let page = try PageRequest(operation: "ListServices", maxResults: request.maxResults, nextToken: request.nextToken,
                                   limit: PaginationLimits.listServices, keyCount: 1)
        if let launchType = request.launchType {
            try RequestValidation.oneOf(launchType, TaskValidation.launchTypeFilters, member: "launchType")
        }
        if let strategy = request.schedulingStrategy {
            try RequestValidation.oneOf(strategy, ServiceValidation.schedulingStrategies, member: "schedulingStrategy")
        }
        return try snapshot { db -> ListServicesResponse in
            let cluster = try ClusterReference.existing(db, request.cluster, context)
            var query = ServiceRecord
                .filter(Column("clusterName") == cluster.name && Column("status") == ECSServiceStatus.active.rawValue)
            if let launchType = request.launchType { query = query.filter(Column("launchType") == launchType) }
            if let strategy = request.schedulingStrategy { query = query.filter(Column("schedulingStrategy") == strategy) }
            if let after = page.after?.first { query = query.filter(Column("arn") > after) }
            let records = try query.order(Column("arn")).limit(page.size + 1).fetchAll(db)
            let (kept, token) = page.page(records) { [$0.arn] }
            return ListServicesResponse(serviceArns: kept.map(\.arn), nextToken: token)
        }
    }

    /// ListServicesByNamespace: services of a Cloud Map namespace. Wharf has no namespaces
    /// (serviceRegistries are refused), so every namespace named is one that does not exist.
    func listServicesByNamespace(_ request: ListServicesByNamespaceRequest, _ context: ECSRequestContext)
        throws(ECSError) -> ListServicesResponse
    {
        let namespace = try RequestValidation.required(request.namespace, "namespace")
        _ = try PaginationLimits.pageSize(request.maxResults, PaginationLimits.listServices)
        throw ECSError(.namespaceNotFoundException, "Namespace \(namespace) not found: Wharf has no Cloud Map namespaces.")
    }
}
