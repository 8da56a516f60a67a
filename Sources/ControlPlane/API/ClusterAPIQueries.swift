import AWSProtocol
import GRDB

/// DescribeClusters and ListClusters.
extension ECSAPI {
    /// DescribeClusters: up to 100 names or ARNs (`default` when none); clusters that do not
    /// exist are failures with reason `MISSING`; INACTIVE clusters are described as such.
    func describeClusters(_ request: DescribeClustersRequest, _ context: ECSRequestContext) throws(ECSError) -> DescribeClustersResponse {
        let references = request.clusters ?? [ClusterReference.defaultName]
        try RequestValidation.atMost(references, ClusterValidation.maxDescribe, member: "clusters")
        var include: Set<ClusterField> = []
        for value in request.include ?? [] {
            guard let field = ClusterField(rawValue: value) else {
                throw .invalidEnum("include", value, allowed: ClusterField.allCases.map(\.rawValue))
            }
            include.insert(field)
        }
        return try snapshot { db in
            var clusters: [ECSCluster] = []
            var failures: [ECSFailure] = []
            for reference in references {
                if let name = ClusterReference.name(reference, context), let record = try ClusterRecord.find(db, name: name) {
                    clusters.append(try ClusterRendering.render(record, db, .describe(include)))
                } else {
                    failures.append(ECSFailure(arn: ClusterReference.failureARN(reference, context), reason: ECSFailure.missingReason))
                }
            }
            return DescribeClustersResponse(clusters: clusters, failures: failures)
        }
    }

    /// ListClusters: the ARNs of the ACTIVE clusters, by name.
    func listClusters(_ request: ListClustersRequest, _ context: ECSRequestContext) throws(ECSError) -> ListClustersResponse {
        let operation = "ListClusters"
        let page = try PageRequest(operation: operation, maxResults: request.maxResults, nextToken: request.nextToken,
                                   limit: PaginationLimits.listClusters, keyCount: 1)
        let rows = try snapshot { db in
            var query = ClusterRecord.filter(Column("status") == ECSClusterStatus.active)
            if let after = page.after { query = query.filter(Column("name") > after[0]) }
            return try query.order(Column("name")).limit(page.size + 1).fetchAll(db)
        }
        let (items, token) = page.page(rows) { [$0.name] }
        return ListClustersResponse(clusterArns: items.map(\.arn), nextToken: token)
    }
}
