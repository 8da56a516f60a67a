/// The ARNs Application Auto Scaling hands out.
enum AutoScalingARN {
    /// `arn:aws:application-autoscaling:REGION:ACCOUNT:scalable-target/<id>`.
    static func scalableTarget(region: String, accountID: String, id: String) -> String {
        "arn:aws:application-autoscaling:\(region):\(accountID):scalable-target/\(id)"
    }

    /// `arn:aws:autoscaling:REGION:ACCOUNT:scalingPolicy:<uuid>:resource/ecs/service/C/S:policyName/NAME`.
    static func scalingPolicy(region: String, accountID: String, uuid: String, resourceID: String, name: String) -> String {
        "arn:aws:autoscaling:\(region):\(accountID):scalingPolicy:\(uuid):resource/ecs/\(resourceID):policyName/\(name)"
    }

    /// `arn:aws:autoscaling:REGION:ACCOUNT:scheduledAction:<uuid>:resource/ecs/service/C/S:scheduledActionName/NAME`.
    static func scheduledAction(region: String, accountID: String, uuid: String, resourceID: String, name: String) -> String {
        "arn:aws:autoscaling:\(region):\(accountID):scheduledAction:\(uuid):resource/ecs/\(resourceID):scheduledActionName/\(name)"
    }

    /// `arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME`.
    static func alarm(region: String, accountID: String, name: String) -> String {
        "arn:aws:cloudwatch:\(region):\(accountID):alarm:\(name)"
    }

    /// The role AWS uses for ECS scalable targets when none is given.
    static func defaultRole(accountID: String) -> String {
        "arn:aws:iam::\(accountID):role/aws-service-role/ecs.application-autoscaling.amazonaws.com/"
            + "AWSServiceRoleForApplicationAutoScaling_ECSService"
    }
}
