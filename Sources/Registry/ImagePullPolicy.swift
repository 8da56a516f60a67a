/// A container's image pull behaviour (ECS's `ECS_IMAGE_PULL_BEHAVIOR`).
public enum ImagePullPolicy: String, Sendable, CaseIterable {
    /// Pull; if the pull fails, use the local image when there is one.
    case `default`
    /// Always pull; a failed pull fails the task.
    case always
    /// Pull only if no local image has the name (once pulled, it is reused).
    case once
    /// Use the local image when there is one, else pull.
    case preferCached = "prefer-cached"
}
