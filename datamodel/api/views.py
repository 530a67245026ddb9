import uuid

from rest_framework import generics
from rest_framework.response import Response

from eximee import roles
from eximee.errors import InvalidRequest

from .. import selectors
from .serializers import DataModelSerializer, DataRecordSerializer, RevisionSerializer, StructureSerializer

READERS = {"GET": (roles.DATAMODEL_READER,)}


class DataModelList(generics.ListAPIView):
    required_roles = READERS
    serializer_class = DataModelSerializer

    def get_queryset(self):
        return selectors.data_models()


class DataModelDetail(generics.GenericAPIView):
    required_roles = READERS
    serializer_class = DataModelSerializer

    def get(self, request, name, **kwargs):
        return Response(DataModelSerializer(selectors.data_model(name)).data)


class DataModelStructure(generics.GenericAPIView):
    required_roles = READERS
    serializer_class = StructureSerializer

    def get(self, request, name, version, **kwargs):
        return Response(StructureSerializer(selectors.model_version(name, version)).data)


class DataRecordList(generics.ListAPIView):
    """Records of a model; `caseNumber` or `processInstanceId` narrow it to one case or instance."""

    required_roles = READERS
    serializer_class = DataRecordSerializer

    def get_queryset(self):
        queryset = selectors.records(self.kwargs["name"])
        case_number = self.request.query_params.get("caseNumber")
        if case_number and "\x00" in case_number:
            raise InvalidRequest("caseNumber must not contain NUL characters.",
                                 errors=[{"pointer": "query:caseNumber", "detail": "contains a NUL character"}])
        if case_number:
            queryset = queryset.filter(business_key=case_number)
        instance_id = self.request.query_params.get("processInstanceId")
        if instance_id:
            queryset = queryset.filter(process_instance_id=_uuid(instance_id, "processInstanceId"))
        return queryset


class DataRecordDetail(generics.GenericAPIView):
    required_roles = READERS
    serializer_class = DataRecordSerializer

    def get(self, request, name, record_id, **kwargs):
        return Response(DataRecordSerializer(selectors.record(name, record_id)).data)


class DataRecordRevisions(generics.ListAPIView):
    required_roles = READERS
    serializer_class = RevisionSerializer

    def get_queryset(self):
        return selectors.revisions(selectors.record(self.kwargs["name"], self.kwargs["record_id"]))


def _uuid(value, parameter):
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidRequest(f"{parameter} must be a UUID.",
                             errors=[{"pointer": f"query:{parameter}", "detail": "not a UUID"}]) from None
