/// ECS `NetworkConfiguration` of RunTask, StartTask (and services): the awsvpc settings.
public struct TaskNetworkConfiguration: Codable, Sendable, Equatable {
    public var awsvpcConfiguration: AwsVpcConfiguration?

    public init(awsvpcConfiguration: AwsVpcConfiguration?) {
        self.awsvpcConfiguration = awsvpcConfiguration
    }

    /// ECS `AwsVpcConfiguration`. Wharf has no VPCs: the subnet and security groups are
    /// recorded and reported (the subnet as the ENI's `subnetId`), and the task's address comes
    /// from the runtime's task subnet.
    public struct AwsVpcConfiguration: Codable, Sendable, Equatable {
        public var subnets: [String]?
        public var securityGroups: [String]?
        /// `ENABLED` or `DISABLED`.
        public var assignPublicIp: String?

        public init(subnets: [String]?, securityGroups: [String]? = nil, assignPublicIp: String? = nil) {
            self.subnets = subnets
            self.securityGroups = securityGroups
            self.assignPublicIp = assignPublicIp
        }
    }
}

/// ECS `LoadBalancer` of a service, as its tasks carry it: the target group (by ARN) or classic
/// load balancer (by name) the task's container port is registered in while it runs.
public struct TaskLoadBalancer: Codable, Sendable, Equatable, Hashable {
    public var targetGroupArn: String?
    public var loadBalancerName: String?
    public var containerName: String?
    public var containerPort: Int?

    public init(targetGroupArn: String? = nil, loadBalancerName: String? = nil, containerName: String?, containerPort: Int?) {
        self.targetGroupArn = targetGroupArn
        self.loadBalancerName = loadBalancerName
        self.containerName = containerName
        self.containerPort = containerPort
    }
}
