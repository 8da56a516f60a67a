"""ECS services through boto3 against `wharf serve` (run by ServeBoto3Tests).

Reads WHARF_ENDPOINT; credentials come from AWS_SHARED_CREDENTIALS_FILE / AWS_PROFILE.
Exits non-zero (with the failing check) when Wharf does not behave as ECS does.
"""
import os
import sys
import time

import boto3
from botocore.exceptions import ClientError
from botocore.config import Config

ecs = boto3.client("ecs", endpoint_url=os.environ["WHARF_ENDPOINT"], region_name="us-east-1",
                   config=Config(retries={"max_attempts": 1}))
NETWORK = {"awsvpcConfiguration": {"subnets": ["subnet-wharf"]}}


def check(condition, message):
    if not condition:
        print("FAILED: " + message, file=sys.stderr)
        sys.exit(1)


def error_code(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


def eventually(probe, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.5)
    return None


ecs.create_cluster(clusterName="b3")
ecs.register_task_definition(
    family="b3", networkMode="awsvpc",
    containerDefinitions=[{"name": "main", "image": "busybox", "memory": 32, "command": ["sleep", "3600"],
                           "portMappings": [{"containerPort": 8080}]}])

created = ecs.create_service(cluster="b3", serviceName="idle", taskDefinition="b3", desiredCount=0,
                             networkConfiguration=NETWORK, tags=[{"key": "team", "value": "web"}],
                             deploymentConfiguration={"minimumHealthyPercent": 50, "maximumPercent": 150,
                                                      "deploymentCircuitBreaker": {"enable": True, "rollback": True}})
service = created["service"]
check(service["serviceName"] == "idle", "serviceName")
check(service["schedulingStrategy"] == "REPLICA", "schedulingStrategy default")
check(service["deploymentConfiguration"]["maximumPercent"] == 150, "maximumPercent kept")
check(service["deploymentController"]["type"] == "ECS", "deploymentController")
check(len(service["deployments"]) == 1 and service["deployments"][0]["status"] == "PRIMARY", "one PRIMARY deployment")
check(service["deployments"][0]["id"].startswith("ecs-svc/"), "deployment id format")
check(service["healthCheckGracePeriodSeconds"] == 0, "grace period 0 by default, load balancers or not")

# A desired count of zero is stable at once: the waiter succeeds.
ecs.get_waiter("services_stable").wait(cluster="b3", services=["idle"], WaiterConfig={"Delay": 1, "MaxAttempts": 20})

# No container instance in this cluster: the service reports it cannot place its task.
ecs.create_service(cluster="b3", serviceName="starved", taskDefinition="b3", desiredCount=1, networkConfiguration=NETWORK)
def unplaced():
    events = ecs.describe_services(cluster="b3", services=["starved"])["services"][0]["events"]
    return any("was unable to place a task" in e["message"] for e in events)
check(eventually(unplaced), "an 'unable to place a task' event")

described = ecs.describe_services(cluster="b3", services=["idle", "starved", "nope"], include=["TAGS"])
check([s["serviceName"] for s in described["services"]] == ["idle", "starved"], "described in order")
check(described["services"][0]["tags"] == [{"key": "team", "value": "web"}], "tags included")
check(described["failures"] == [{"arn": "arn:aws:ecs:us-east-1:123456789012:service/b3/nope", "reason": "MISSING"}],
      "MISSING failure: %r" % described["failures"])

page = ecs.list_services(cluster="b3", maxResults=1)
check(len(page["serviceArns"]) == 1 and "nextToken" in page, "first page")
rest = ecs.list_services(cluster="b3", maxResults=1, nextToken=page["nextToken"])
check(len(rest["serviceArns"]) == 1 and rest["serviceArns"] != page["serviceArns"], "second page")

# Updates: a new deployment only when asked for one.
updated = ecs.update_service(cluster="b3", service="idle", desiredCount=0)["service"]
check(len(updated["deployments"]) == 1, "no new deployment for a count change")
forced = ecs.update_service(cluster="b3", service="idle", forceNewDeployment=True)["service"]
check(len(forced["deployments"]) == 2, "forceNewDeployment starts a deployment")
ecs.get_waiter("services_stable").wait(cluster="b3", services=["idle"], WaiterConfig={"Delay": 1, "MaxAttempts": 20})

# Service deployments and revisions: one of each per deployment, newest first.
def newest_successful():
    listed = ecs.list_service_deployments(cluster="b3", service="idle")["serviceDeployments"]
    return listed if len(listed) == 2 and listed[0]["status"] == "SUCCESSFUL" else None
listed = eventually(newest_successful)
check(listed is not None, "two service deployments, the newest SUCCESSFUL: %r"
      % ecs.list_service_deployments(cluster="b3", service="idle")["serviceDeployments"])
newest, oldest = listed
check(oldest["status"] in ("SUCCESSFUL", "STOPPED"), "the first one ended: %r" % oldest)
check(newest["serviceDeploymentArn"].startswith("arn:aws:ecs:us-east-1:123456789012:service-deployment/b3/idle/"),
      "service deployment ARN: %r" % newest)
primary = [d for d in forced["deployments"] if d["status"] == "PRIMARY"][0]
target = "arn:aws:ecs:us-east-1:123456789012:service-revision/b3/idle/" + primary["id"][len("ecs-svc/"):]
check(newest["targetServiceRevisionArn"] == target, "the target revision is the PRIMARY deployment's: %r" % newest)
check(newest["createdAt"] >= oldest["createdAt"] and "finishedAt" in newest, "times: %r" % newest)
page = ecs.list_service_deployments(cluster="b3", service="idle", maxResults=1)
check(len(page["serviceDeployments"]) == 1 and "nextToken" in page, "first page of service deployments")
rest = ecs.list_service_deployments(cluster="b3", service="idle", maxResults=1, nextToken=page["nextToken"])
check(rest["serviceDeployments"] == [oldest] and "nextToken" not in rest, "second page: %r" % rest)
check(ecs.list_service_deployments(cluster="b3", service="idle", status=["ROLLBACK_FAILED"])["serviceDeployments"] == [],
      "status filter")
check(error_code(ecs.list_service_deployments, cluster="b3", service="nope") == "ServiceNotFoundException",
      "service deployments of a missing service")
check(error_code(ecs.list_service_deployments, cluster="b3", service="idle", status=["DONE"])
      == "InvalidParameterException", "unknown status")
missing_arn = newest["serviceDeploymentArn"][:-3] + "zzz"
described = ecs.describe_service_deployments(serviceDeploymentArns=[newest["serviceDeploymentArn"], missing_arn])
deployment = described["serviceDeployments"][0]
check(described["failures"] == [{"arn": missing_arn, "reason": "MISSING"}], "MISSING: %r" % described["failures"])
check(deployment["status"] == "SUCCESSFUL" and deployment["targetServiceRevision"]["arn"] == target, "target: %r" % deployment)
check([r["arn"] for r in deployment["sourceServiceRevisions"]] == [oldest["targetServiceRevisionArn"]],
      "the source is the first revision: %r" % deployment)
check(deployment["deploymentCircuitBreaker"] == {"status": "MONITORING_COMPLETE", "failureCount": 0, "threshold": 3},
      "circuit breaker: %r" % deployment["deploymentCircuitBreaker"])
check(deployment["deploymentConfiguration"]["maximumPercent"] == 150, "deployment configuration kept")
revisions = ecs.describe_service_revisions(serviceRevisionArns=[target])
revision = revisions["serviceRevisions"][0]
check(revisions["failures"] == [] and revision["serviceRevisionArn"] == target, "revision: %r" % revisions)
check(revision["taskDefinition"].endswith(":task-definition/b3:1"), "revision task definition: %r" % revision)
check(revision["containerImages"] == [{"containerName": "main", "image": "busybox"}], "images: %r" % revision)
check(revision["networkConfiguration"]["awsvpcConfiguration"]["subnets"] == ["subnet-wharf"]
      and revision["launchType"] == "EC2", "revision settings: %r" % revision)
current = ecs.describe_services(cluster="b3", services=["idle"])["services"][0]
check(current["currentServiceDeployment"] == newest["serviceDeploymentArn"], "currentServiceDeployment")
check([r["arn"] for r in current["currentServiceRevisions"]] == [target], "currentServiceRevisions: %r" % current)

# Application Auto Scaling on the same endpoint.
aas = boto3.client("application-autoscaling", endpoint_url=os.environ["WHARF_ENDPOINT"], region_name="us-east-1",
                   config=Config(retries={"max_attempts": 1}))
aas.register_scalable_target(ServiceNamespace="ecs", ResourceId="service/b3/idle",
                             ScalableDimension="ecs:service:DesiredCount", MinCapacity=0, MaxCapacity=4)
targets = aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
check([t["ResourceId"] for t in targets] == ["service/b3/idle"], "scalable target listed: %r" % targets)
check(targets[0]["MaxCapacity"] == 4 and targets[0]["ScalableDimension"] == "ecs:service:DesiredCount", "target shape")
policy = aas.put_scaling_policy(
    PolicyName="cpu", ServiceNamespace="ecs", ResourceId="service/b3/idle", ScalableDimension="ecs:service:DesiredCount",
    PolicyType="TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration={"TargetValue": 50.0, "PredefinedMetricSpecification": {
        "PredefinedMetricType": "ECSServiceAverageCPUUtilization"}})
check(":policyName/cpu" in policy["PolicyARN"], "policy ARN")
policies = aas.describe_scaling_policies(ServiceNamespace="ecs", ResourceId="service/b3/idle")["ScalingPolicies"]
check([p["PolicyName"] for p in policies] == ["cpu"], "policy listed")
try:
    aas.register_scalable_target(ServiceNamespace="ecs", ResourceId="service/b3/nope",
                                 ScalableDimension="ecs:service:DesiredCount", MinCapacity=0, MaxCapacity=1)
    check(False, "a target for a missing service is refused")
except ClientError as error:
    check(error.response["Error"]["Code"] == "ValidationException", "ValidationException: %r" % error.response)
try:
    aas.delete_scaling_policy(PolicyName="nope", ServiceNamespace="ecs", ResourceId="service/b3/idle",
                              ScalableDimension="ecs:service:DesiredCount")
    check(False, "deleting a missing policy is refused")
except ClientError as error:
    check(error.response["Error"]["Code"] == "ObjectNotFoundException", "ObjectNotFoundException: %r" % error.response)
aas.deregister_scalable_target(ServiceNamespace="ecs", ResourceId="service/b3/idle",
                               ScalableDimension="ecs:service:DesiredCount")
check(aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == [], "target deregistered")

# ECS's errors.
check(error_code(ecs.create_service, cluster="b3", serviceName="idle", taskDefinition="b3", desiredCount=0,
                 networkConfiguration=NETWORK) == "InvalidParameterException", "duplicate service")
check(error_code(ecs.create_service, cluster="b3", serviceName="x", taskDefinition="nope", desiredCount=0,
                 networkConfiguration=NETWORK) == "ClientException", "unknown task definition")
check(error_code(ecs.create_service, cluster="b3", serviceName="x", taskDefinition="b3",
                 desiredCount=0) == "InvalidParameterException", "awsvpc without networkConfiguration")
check(error_code(ecs.create_service, cluster="nope", serviceName="x", taskDefinition="b3", desiredCount=0,
                 networkConfiguration=NETWORK) == "ClusterNotFoundException", "unknown cluster")
check(error_code(ecs.create_service, cluster="b3", serviceName="x", taskDefinition="b3", desiredCount=0,
                 networkConfiguration=NETWORK, healthCheckGracePeriodSeconds=-1) == "InvalidParameterException",
      "negative grace period")
check(error_code(ecs.create_service, cluster="b3", serviceName="x", taskDefinition="b3", desiredCount=0,
                 networkConfiguration=NETWORK, deploymentConfiguration={"minimumHealthyPercent": 101})
      == "InvalidParameterException", "minimumHealthyPercent above 100")
check(error_code(ecs.update_service, cluster="b3", service="nope", desiredCount=1) == "ServiceNotFoundException",
      "update of a missing service")
check(error_code(ecs.delete_service, cluster="b3", service="starved") == "InvalidParameterException",
      "delete of a scaled service without force")
check(error_code(ecs.delete_cluster, cluster="b3") == "ClusterContainsServicesException", "cluster with services")

# Delete: DRAINING, then INACTIVE; an INACTIVE service refuses updates and is not listed.
ecs.delete_service(cluster="b3", service="starved", force=True)
ecs.delete_service(cluster="b3", service="idle")
check(ecs.list_services(cluster="b3")["serviceArns"] == [], "deleted (DRAINING) services are not listed")
ecs.get_waiter("services_inactive").wait(cluster="b3", services=["idle", "starved"],
                                         WaiterConfig={"Delay": 1, "MaxAttempts": 30})
check(error_code(ecs.update_service, cluster="b3", service="idle", desiredCount=1) == "ServiceNotActiveException",
      "update of an INACTIVE service")
check(ecs.list_services(cluster="b3")["serviceArns"] == [], "INACTIVE services are not listed")
# Re-created under the same name: the same ARN, ACTIVE again.
again = ecs.create_service(cluster="b3", serviceName="idle", taskDefinition="b3", desiredCount=0,
                           networkConfiguration=NETWORK)["service"]
check(again["status"] == "ACTIVE" and again["serviceArn"] == service["serviceArn"], "re-created service")
# A CreateService retried with its clientToken and the same parameters succeeds without doing
# anything; the token with other parameters is the duplicate it would be without one.
tokened = dict(cluster="b3", serviceName="tokened", taskDefinition="b3", desiredCount=0,
               networkConfiguration=NETWORK, clientToken="create-tokened-1")
first = ecs.create_service(**tokened)["service"]
retried = ecs.create_service(**tokened)["service"]
check(retried["serviceArn"] == first["serviceArn"] and retried["createdAt"] == first["createdAt"]
      and len(retried["deployments"]) == 1, "client token retry")
check(error_code(ecs.create_service, **dict(tokened, desiredCount=1)) == "InvalidParameterException",
      "client token with other parameters")
check(error_code(ecs.create_service, **dict(tokened, serviceName="other")) == "InvalidParameterException",
      "client token with another service name (tokens are per cluster)")
check(error_code(ecs.create_service, **dict(tokened, serviceName="long", clientToken="t" * 37))
      == "InvalidParameterException", "client token over 36 characters")
ecs.delete_service(cluster="b3", service="idle")
ecs.delete_service(cluster="b3", service="tokened")
ecs.get_waiter("services_inactive").wait(cluster="b3", services=["idle", "tokened"],
                                         WaiterConfig={"Delay": 1, "MaxAttempts": 30})
ecs.delete_cluster(cluster="b3")

# The circuit breaker: an update onto a revision whose task cannot start fails three tasks,
# and the service deployment rolls back to the revision that ran before.
ecs.register_task_definition(
    family="b3ok", networkMode="awsvpc",
    containerDefinitions=[{"name": "main", "image": "busybox", "memory": 32, "command": ["sleep", "3600"]}])
ecs.register_task_definition(
    family="b3bad", networkMode="awsvpc",
    containerDefinitions=[{"name": "main", "image": "busybox", "memory": 32, "entryPoint": ["/no/such/program"]}])
ecs.create_service(cluster="default", serviceName="breaker", taskDefinition="b3ok", desiredCount=1,
                   networkConfiguration=NETWORK,
                   deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}})
ecs.get_waiter("services_stable").wait(cluster="default", services=["breaker"], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
ecs.update_service(cluster="default", service="breaker", taskDefinition="b3bad")
def rolled_back():
    newest = ecs.list_service_deployments(cluster="default", service="breaker")["serviceDeployments"][0]
    return newest if newest["status"] == "ROLLBACK_SUCCESSFUL" else None
rolled = eventually(rolled_back, timeout=120)
check(rolled is not None, "ROLLBACK_SUCCESSFUL: %r"
      % ecs.list_service_deployments(cluster="default", service="breaker")["serviceDeployments"])
failed = ecs.describe_service_deployments(serviceDeploymentArns=[rolled["serviceDeploymentArn"]])["serviceDeployments"][0]
check(failed["deploymentCircuitBreaker"]["status"] == "TRIGGERED" and failed["deploymentCircuitBreaker"]["failureCount"] >= 3,
      "the breaker tripped: %r" % failed["deploymentCircuitBreaker"])
check(failed["rollback"]["reason"].startswith("ECS deployment circuit breaker: rolling back"), "rollback: %r" % failed)
back = ecs.describe_service_revisions(serviceRevisionArns=[failed["rollback"]["serviceRevisionArn"]])["serviceRevisions"][0]
check(back["taskDefinition"].endswith(":task-definition/b3ok:1"), "rolled back to b3ok: %r" % back)
check(ecs.describe_service_revisions(serviceRevisionArns=[failed["targetServiceRevision"]["arn"]])["serviceRevisions"][0]
      ["taskDefinition"].endswith(":task-definition/b3bad:1"), "the failed target was b3bad")
ecs.delete_service(cluster="default", service="breaker", force=True)
ecs.get_waiter("services_inactive").wait(cluster="default", services=["breaker"], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
print("OK")
