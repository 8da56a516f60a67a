import AWSProtocol
import Foundation

/// Connects the ECS operations to the AWS JSON 1.1 router: the request body to `ECSAPI`, its output back, with
/// ECS's exception names carried into AWS's error envelope.
///
/// `ECSAPI` blocks on the store; the transport (``AWSAPIApplication``) calls the router on
/// threads of its own.
public enum ECSServiceHandler {
    /// Registers every ECS operation of `api` on `router`, with ARNs in `accountID` and the
    /// region the caller signed for.
    public static func register(_ api: ECSAPI, accountID: String, on router: inout AWSJSONRouter) {
        // ECSAPI decodes its input itself (with ECS's own errors for malformed members), so the
        // body goes to it as it came and its output goes back as it is: no second JSON pass.
        router.register(.ecs, operations: ECSAPI.operations, documentHandler: { (operation, body, context) throws(AWSServiceError) -> [UInt8] in
            let ecsContext = ECSRequestContext(
                region: context.identity.region, accountID: accountID, now: Date(),
                callerARN: "arn:aws:iam::\(accountID):user/\(context.identity.profile)"
            )
            do throws(ECSError) {
                return Array(try api.handle(operation: operation, body: Data(body), context: ecsContext))
            } catch {
                throw AWSServiceError(
                    type: error.type, message: error.message, status: error.httpStatusCode,
                    members: error.resourceIds.map { ["resourceIds": .array($0.map(JSONValue.string))] } ?? [:])
            }
        })
    }
}
