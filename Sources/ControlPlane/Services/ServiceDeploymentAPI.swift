import AWSProtocol
import GRDB

/// ListServiceDeployments, DescribeServiceDeployments and DescribeServiceRevisions: a service's
/// rollouts and what each ran, as ``ServiceDeploymentHistory`` records them.
extension ECSAPI {
    /// DescribeServiceDeployments and DescribeServiceRevisions: "You can specify a maximum of 20 ARNs."
    static let maxDescribedServiceDeploymentARNs = 20

    func listServiceDeployments(_ request: ListServiceDeploymentsRequest, _ context: ECSRequestContext)
        throws(ECSError) -> ListServiceDeploymentsResponse
    {
        let serviceText = try RequestValidation.required(request.service, "service")
        let page = try PageRequest(operation: "ListServiceDeployments", maxResults: request.maxResults, nextToken: request.nextToken,
                                   limit: PaginationLimits.listServiceDeployments, keyCount: 2)
        let statuses = request.status ?? []
        let allowed = ECSServiceDeploymentStatus.allCases.map(\.rawValue)
        for status in statuses { try RequestValidation.oneOf(status, allowed, member: "status") }
        return try snapshot { db -> ListServiceDeploymentsResponse in
            let cluster = try ClusterReference.existing(db, request.cluster, context)
            guard let service = try ServiceReference.find(db, serviceText, cluster: cluster.name, context) else {
                throw ECSError(.serviceNotFoundException, "Service not found.")
            }
            var query = ServiceDeploymentRecord.filter(Column("serviceArn") == service.arn)
            if !statuses.isEmpty { query = query.filter(statuses.contains(Column("status"))) }
            if let before = request.createdAt?.before { query = query.filter(Column("createdAt") < before) }
            if let after = request.createdAt?.after { query = query.filter(Column("createdAt") > after) }
            // Newest first; the token holds the last entry's (createdAt, id).
            if let after = page.after {
                guard after.count == 2, let createdAt = Double(after[0]) else {
                    throw ECSError(.invalidParameterException, "The nextToken is not valid.")
                }
                query = query.filter(Column("createdAt") < createdAt || (Column("createdAt") == createdAt && Column("id") < after[1]))
            }
            let records = try query.order(Column("createdAt").desc, Column("id").desc).limit(page.size + 1).fetchAll(db)
            let (kept, token) = page.page(records) { [String($0.createdAt), $0.id] }
            let naming = ServiceDeploymentRendering.Naming(service: service, context: context)
            return ListServiceDeploymentsResponse(serviceDeployments: kept.map { naming.brief($0) }, nextToken: token)
        }
    }

    func describeServiceDeployments(_ request: DescribeServiceDeploymentsRequest, _ context: ECSRequestContext)
        throws(ECSError) -> DescribeServiceDeploymentsResponse
    {
        let arns = try RequestValidation.required(request.serviceDeploymentArns, "serviceDeploymentArns")
        try RequestValidation.atMost(arns, Self.maxDescribedServiceDeploymentARNs, member: "serviceDeploymentArns")
        let (found, failures) = try describeEach(arns, context, deployments: true) { db, service, id -> ECSServiceDeployment? in
            guard let record = try ServiceDeploymentRecord.fetchOne(db, key: id), record.serviceArn == service.arn else { return nil }
            return try ServiceDeploymentRendering.render(db, record, service: service, context: context)
        }
        return DescribeServiceDeploymentsResponse(serviceDeployments: found, failures: failures)
    }

    func describeServiceRevisions(_ request: DescribeServiceRevisionsRequest, _ context: ECSRequestContext)
        throws(ECSError) -> DescribeServiceRevisionsResponse
    {
        let arns = try RequestValidation.required(request.serviceRevisionArns, "serviceRevisionArns")
        try RequestValidation.atMost(arns, Self.maxDescribedServiceDeploymentARNs, member: "serviceRevisionArns")
        let (found, failures) = try describeEach(arns, context, deployments: false) { db, service, id -> ECSServiceRevision? in
            guard let record = try ServiceRevisionRecord.fetchOne(db, key: id), record.serviceArn == service.arn else { return nil }
            return ServiceDeploymentRendering.Naming(service: service, context: context).revision(record)
        }
        return DescribeServiceRevisionsResponse(serviceRevisions: found, failures: failures)
    }

    /// Each ARN's item as `describe` finds it in its service, in request order; a `MISSING`
    /// failure for an ARN naming nothing (another account, no such service or id).
    private func describeEach<Item>(_ arns: [String], _ context: ECSRequestContext, deployments: Bool,
                                    describe: (Database, ServiceRecord, String) throws -> Item?)
        throws(ECSError) -> (found: [Item], failures: [ECSFailure])
    {
        try snapshot { db -> ([Item], [ECSFailure]) in
            var found: [Item] = []
            var failures: [ECSFailure] = []
            for text in arns {
                if let (service, id) = try Self.serviceScoped(db, text, context, deployments: deployments),
                   let item = try describe(db, service, id) {
                    found.append(item)
                } else {
                    failures.append(ECSFailure(arn: text, reason: ECSFailure.missingReason))
                }
            }
            return (found, failures)
        }
    }

    /// The service and id a service deployment (or revision) ARN of this account names, or
    /// nil when there is no such service.
    static func serviceScoped(_ db: Database, _ text: String, _ context: ECSRequestContext, deployments: Bool)
        throws -> (ServiceRecord, String)?
    {
        guard let arn = ECSARN(parsing: text), context.owns(arn) else { return nil }
        let cluster: String, service: String, id: String
        switch arn.resource {
        case .serviceDeployment(let c, let s, let i) where deployments: (cluster, service, id) = (c, s, i)
        case .serviceRevision(let c, let s, let i) where !deployments: (cluster, service, id) = (c, s, i)
        default: return nil
        }
        guard let record = try ServiceRecord.filter(Column("clusterName") == cluster && Column("name") == service).fetchOne(db)
        else { return nil }
        return (record, id)
    }
}
