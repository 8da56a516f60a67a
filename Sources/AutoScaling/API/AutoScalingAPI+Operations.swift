import AWSProtocol

extension AutoScalingAPI {
    /// Every operation this API serves, by name. ``operations`` and the router's routes are
    /// derived from it, so they cannot drift apart.
    static let handlers: [String: AWSJSONRouter.MemberHandler<AutoScalingAPI>] = [
        "RegisterScalableTarget": { api, members, region throws(AWSServiceError) in
            try api.registerScalableTarget(members, region: region)
        },
        "DescribeScalableTargets": { api, members, _ throws(AWSServiceError) in try api.describeScalableTargets(members) },
        "DeregisterScalableTarget": { api, members, _ throws(AWSServiceError) in try api.deregisterScalableTarget(members) },
        "PutScalingPolicy": { api, members, region throws(AWSServiceError) in try api.putScalingPolicy(members, region: region) },
        "DescribeScalingPolicies": { api, members, _ throws(AWSServiceError) in try api.describeScalingPolicies(members) },
        "DeleteScalingPolicy": { api, members, _ throws(AWSServiceError) in try api.deleteScalingPolicy(members) },
        "DescribeScalingActivities": { api, members, _ throws(AWSServiceError) in try api.describeScalingActivities(members) },
        "PutScheduledAction": { api, members, region throws(AWSServiceError) in
            try api.putScheduledAction(members, region: region)
        },
        "DescribeScheduledActions": { api, members, _ throws(AWSServiceError) in try api.describeScheduledActions(members) },
        "DeleteScheduledAction": { api, members, _ throws(AWSServiceError) in try api.deleteScheduledAction(members) },
        "TagResource": { api, members, _ throws(AWSServiceError) in try api.tagResource(members) },
        "UntagResource": { api, members, _ throws(AWSServiceError) in try api.untagResource(members) },
        "ListTagsForResource": { api, members, _ throws(AWSServiceError) in try api.listTagsForResource(members) },
    ]
}
