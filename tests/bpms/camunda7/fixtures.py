"""Camunda 7 REST answers written from the reference (engine-rest-openapi and the REST docs), for
what our own facade cannot produce: other id generators, engine errors, overloaded proxies."""

DEFINITION = {"id": "invoice:2:2504", "key": "invoice", "category": "http://bpmn.io/schema/bpmn",
              "description": None, "name": "Invoice Receipt", "version": 2, "resource": "invoice.bpmn",
              "deploymentId": "2501", "diagram": None, "suspended": False, "tenantId": None,
              "versionTag": None, "historyTimeToLive": 30, "startableInTasklist": True}
XML = {"id": "invoice:2:2504", "bpmn20Xml": "<definitions id=\"invoice\"/>"}
HISTORIC_INSTANCE = {"id": "2601", "businessKey": "INV-7", "processDefinitionId": "invoice:2:2504",
                     "processDefinitionKey": "invoice", "processDefinitionName": "Invoice Receipt",
                     "processDefinitionVersion": 2, "startTime": "2026-11-27T18:42:42.657+0100",
                     "endTime": None, "removalTime": None, "durationInMillis": None, "startUserId": "demo",
                     "startActivityId": "start", "deleteReason": None, "rootProcessInstanceId": "2601",
                     "superProcessInstanceId": None, "superCaseInstanceId": None, "caseInstanceId": None,
                     "tenantId": None, "state": "ACTIVE"}
ACTIVITIES = [
    {"id": "start:2602", "parentActivityInstanceId": "2601", "activityId": "start", "activityName": "Invoice received",
     "activityType": "startEvent", "processDefinitionKey": "invoice", "processDefinitionId": "invoice:2:2504",
     "processInstanceId": "2601", "executionId": "2601", "taskId": None, "calledProcessInstanceId": None,
     "calledCaseInstanceId": None, "assignee": None, "startTime": "2026-11-27T18:42:42.657+0100",
     "endTime": "2026-11-27T18:42:42.660+0100", "durationInMillis": 3, "canceled": False,
     "completeScope": False, "tenantId": None, "removalTime": None, "rootProcessInstanceId": "2601"},
    {"id": "approveInvoice:2603", "parentActivityInstanceId": "2601", "activityId": "approveInvoice",
     "activityName": "Approve Invoice", "activityType": "userTask", "processDefinitionKey": "invoice",
     "processDefinitionId": "invoice:2:2504", "processInstanceId": "2601", "executionId": "2601",
     "taskId": "2604", "calledProcessInstanceId": None, "calledCaseInstanceId": None, "assignee": None,
     "startTime": "2026-11-27T18:42:42.661+0100", "endTime": None, "durationInMillis": None, "canceled": False,
     "completeScope": False, "tenantId": None, "removalTime": None, "rootProcessInstanceId": "2601"},
]
TASK = {"id": "2604", "name": "Approve Invoice", "assignee": None, "owner": None,
        "created": "2026-11-27T18:42:42.661+0100", "due": "2026-12-04T18:42:42.000+0100", "followUp": None,
        "lastUpdated": None, "delegationState": None, "description": "Approve the invoice",
        "executionId": "2601", "parentTaskId": None, "priority": 50, "processDefinitionId": "invoice:2:2504",
        "processInstanceId": "2601", "taskDefinitionKey": "approveInvoice", "caseExecutionId": None,
        "caseInstanceId": None, "caseDefinitionId": None, "suspended": False, "formKey": "embedded:app:forms/approve.html",
        "camundaFormRef": None, "tenantId": None}
IDENTITY_LINKS = [{"userId": None, "groupId": "accounting", "type": "candidate"},
                  {"userId": "mary", "groupId": None, "type": "candidate"}]
VARIABLES = {
    "amount": {"type": "Double", "value": 30.0, "valueInfo": {}},
    "creditor": {"type": "String", "value": "Great Pizza for Everyone Inc.", "valueInfo": {}},
    "invoiceLines": {"type": "Json", "value": "[{\"item\": \"pizza\", \"qty\": 3}]", "valueInfo": {}},
    "customer": {"type": "Object", "value": "{\"name\":\"Anna\"}",
                 "valueInfo": {"objectTypeName": "java.util.HashMap", "serializationDataFormat": "application/json"}},
}

EXTERNAL_TASK = {"activityId": "chargeCard", "activityInstanceId": "chargeCard:2702", "errorMessage": None,
                 "executionId": "2601", "id": "2703", "lockExpirationTime": None, "processDefinitionId": "invoice:2:2504",
                 "processDefinitionKey": "invoice", "processDefinitionVersionTag": None, "processInstanceId": "2601",
                 "retries": None, "suspended": False, "workerId": None, "topicName": "creditcard", "tenantId": None,
                 "priority": 0, "businessKey": "INV-7", "createTime": "2026-11-27T18:42:43.000+0100"}
LOCKED_EXTERNAL_TASK = EXTERNAL_TASK | {"workerId": "w1", "lockExpirationTime": "2026-11-27T18:47:43.000+0100",
                                        "variables": {"amount": {"type": "Double", "value": 30.0, "valueInfo": {}}}}

OPTIMISTIC_LOCKING = {"type": "OptimisticLockingException", "code": 1,
                      "message": "ENGINE-03005 Execution of 'UPDATE TaskEntity[2604]' failed. Entity was updated by "
                                 "another transaction concurrently."}
ALREADY_CLAIMED = {"type": "TaskAlreadyClaimedException", "code": 0,
                   "message": "Task '2604' is already claimed by someone else."}
TASK_NOT_FOUND_ON_CLAIM = {"type": "NullValueException", "code": 0,
                           "message": "Cannot find task with id 2604: task is null"}
INSTANCE_NOT_FOUND = {"type": "InvalidRequestException", "code": 0,
                      "message": "Process instance with id 2601 does not exist"}
BAD_VARIABLE = {"type": "InvalidRequestException", "code": 0,
                "message": "Cannot put process instance variable amount: Unsupported value type 'Money'"}
SUSPENDED = {"type": "ProcessEngineException", "code": 0,
             "message": "ENGINE-03005 ProcessInstance[2601] is suspended."}
FORBIDDEN = {"type": "AuthorizationException", "code": 0,
             "message": "The user with id 'eximee' does not have 'UPDATE' permission on resource '2604' of type 'Task'."}
LOCKED_BY_ANOTHER_WORKER = {"type": "BadUserRequestException", "code": 0,
                            "message": "External Task 2703 cannot be completed by worker 'w2'. It is locked by worker 'w1'."}
NO_MESSAGE_MATCH = {"type": "MismatchingMessageCorrelationException", "code": 0,
                    "message": "Cannot correlate message 'invoicePaid': No process definition or execution matches "
                               "the parameters"}
SEVERAL_MESSAGE_MATCHES = {"type": "MismatchingMessageCorrelationException", "code": 0,
                           "message": "Cannot correlate a message with name 'invoicePaid' to a single execution. 2 "
                                      "executions match the correlation keys: CorrelationSet [businessKey=INV-7]"}
GENERIC = {"type": "ProcessEngineException", "code": 0, "message": "Unknown property used in expression: ${approver}."}
PARSE = {"type": "ParseException", "code": 0, "message": "ENGINE-09005 Could not parse BPMN process.",
         "details": {"invoice.bpmn": {"errors": [{"message": "Exclusive Gateway 'gw' has outgoing sequence flow "
                                                             "without condition which is not the default flow.",
                                                  "line": 12, "column": 4, "mainElementId": "gw", "elementIds": ["gw"]}],
                                      "warnings": []}}}

JOB_DEFINITION = {"id": "2705", "processDefinitionId": "invoice:2:2504", "processDefinitionKey": "invoice",
                  "activityId": "remind", "jobType": "timer-transition", "jobConfiguration": "DURATION: P1D",
                  "overridingJobPriority": None, "suspended": False, "tenantId": None, "deploymentId": "2501"}
JOB = {"id": "2801", "jobDefinitionId": "2705", "dueDate": "2026-11-28T18:42:43.000+0100", "processInstanceId": "2601",
       "executionId": "2602", "processDefinitionId": "invoice:2:2504", "processDefinitionKey": "invoice", "retries": 3,
       "exceptionMessage": None, "failedActivityId": None, "suspended": False, "priority": 0, "tenantId": None,
       "createTime": "2026-11-27T18:42:43.000+0100", "batchId": None}
FAILED_JOB = JOB | {"retries": 0, "exceptionMessage": GENERIC["message"], "failedActivityId": "remind"}
JOB_INCIDENT = {"id": "2901", "processDefinitionId": "invoice:2:2504", "processInstanceId": "2601",
                "executionId": "2602", "incidentTimestamp": "2026-11-27T18:50:00.000+0100", "incidentType": "failedJob",
                "activityId": "remind", "failedActivityId": "remind", "causeIncidentId": "2901",
                "rootCauseIncidentId": "2901", "configuration": "2801", "incidentMessage": GENERIC["message"],
                "tenantId": None, "jobDefinitionId": "2705", "annotation": None}
STACKTRACE = "org.camunda.bpm.engine.ProcessEngineException: Unknown property used in expression: ${approver}.\n"
