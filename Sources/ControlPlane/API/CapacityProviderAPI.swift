import AWSProtocol

/// DescribeCapacityProviders.
extension ECSAPI {
    /// DescribeCapacityProviders: the capacity providers there are, AWS's own FARGATE and
    /// FARGATE_SPOT (Wharf has no CreateCapacityProvider; both run on the hosts' capacity), by
    /// name or ARN (all of them when none is named, paged by name); any other is a failure
    /// `MISSING`, as ECS reports one.
    func describeCapacityProviders(_ request: DescribeCapacityProvidersRequest, _ context: ECSRequestContext)
        throws(ECSError) -> DescribeCapacityProvidersResponse
    {
        for value in request.include ?? [] {
            try RequestValidation.oneOf(value, ["TAGS"], member: "include")
        }
        let withTags = (request.include ?? []).contains("TAGS")
        let page = try PageRequest(operation: "DescribeCapacityProviders", maxResults: request.maxResults,
                                   nextToken: request.nextToken, limit: PaginationLimits.describeCapacityProviders, keyCount: 1)
        let known = ClusterValidation.existingCapacityProviders.sorted()
        func provider(_ name: String) -> ECSCapacityProvider {
            ECSCapacityProvider(capacityProviderArn: context.arn(.capacityProvider(name: name)).description, name: name,
                                status: "ACTIVE", type: name, tags: withTags ? [] : nil)
        }
        guard let named = request.capacityProviders, !named.isEmpty else {
            let after = page.after?.first
            let (items, token) = page.page(Array(known.filter { name in after.map { name > $0 } ?? true }.prefix(page.fetchLimit))) { [$0] }
            return DescribeCapacityProvidersResponse(capacityProviders: items.map(provider), failures: [], nextToken: token)
        }
        var found: [ECSCapacityProvider] = []
        var failures: [ECSFailure] = []
        for reference in named {
            var name = reference
            if ECSARN.looksLikeARN(reference) {
                if let arn = ECSARN(parsing: reference), context.owns(arn), case .capacityProvider(let arnName) = arn.resource {
                    name = arnName
                } else {
                    name = ""
                }
            }
            if known.contains(name) {
                if !found.contains(where: { $0.name == name }) { found.append(provider(name)) }
            } else {
                let arn = ECSARN.looksLikeARN(reference) ? reference : context.arn(.capacityProvider(name: reference)).description
                failures.append(ECSFailure(arn: arn, reason: ECSFailure.missingReason))
            }
        }
        return DescribeCapacityProvidersResponse(capacityProviders: found, failures: failures, nextToken: nil)
    }
}
