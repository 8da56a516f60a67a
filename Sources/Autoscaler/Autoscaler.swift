/// Wharf's autoscaling policies: target tracking and step scaling on request rate, CPU and
/// memory. Pure policy (metric windows in, desired counts out) with no I/O, so it is tested on a
/// fake clock. The policies themselves are built in their own issue.
public enum Autoscaler {}
