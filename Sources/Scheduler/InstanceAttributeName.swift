/// Names of the attributes ECS applies to every container instance by itself. Custom attributes
/// (`PutAttributes`) live in the same name space.
public enum InstanceAttributeName {
    /// The AMI the instance was launched from, e.g. `ami-1234abcd`.
    public static let amiID = "ecs.ami-id"
    /// The Availability Zone, e.g. `us-east-1a`. The usual spread field.
    public static let availabilityZone = "ecs.availability-zone"
    /// The instance type, e.g. `t2.small`.
    public static let instanceType = "ecs.instance-type"
    /// `linux` or `windows`.
    public static let osType = "ecs.os-type"
    /// `LINUX` or `WINDOWS_SERVER_<release>_<FULL|CORE>`.
    public static let osFamily = "ecs.os-family"
    /// `x86_64` or `arm64`.
    public static let cpuArchitecture = "ecs.cpu-architecture"
    /// The VPC the instance runs in.
    public static let vpcID = "ecs.vpc-id"
    /// The subnet the instance uses.
    public static let subnetID = "ecs.subnet-id"
}
