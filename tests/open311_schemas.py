"""JSON Schemas of GeoReport v2 responses, written from the spec
(http://wiki.open311.org/GeoReport_v2 and .../Service_Discovery): field names,
the enumerated values it lists, the w3c datetime with a mandatory offset, and no
foreign fields (the spec advises strict adherence so that every client copes)."""

W3C_DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$"
ID = {"type": ["string", "integer"]}
TEXT_OR_NULL = {"type": ["string", "null"]}


def _object(properties, required):
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


ERRORS = {
    "type": "array",
    "minItems": 1,
    "items": _object(
        {"code": {"type": "integer"}, "description": {"type": "string"}},
        ["code", "description"],
    ),
}

DISCOVERY = _object(
    {
        "changeset": {"type": "string"},
        "contact": {"type": "string"},
        "key_service": {"type": "string"},
        "endpoints": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {
                    "specification": {"type": "string"},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "changeset": {"type": "string"},
                    "type": {"enum": ["production", "test"]},
                    "formats": {
                        "type": "array",
                        "items": {"enum": ["text/xml", "application/json"]},
                    },
                },
                ["specification", "url", "changeset", "type", "formats"],
            ),
        },
    },
    ["changeset", "contact", "key_service", "endpoints"],
)

SERVICES = {
    "type": "array",
    "items": _object(
        {
            "service_code": ID,
            "service_name": {"type": "string"},
            "description": TEXT_OR_NULL,
            "metadata": {"type": "boolean"},
            "type": {"enum": ["realtime", "batch", "blackbox"]},
            "keywords": TEXT_OR_NULL,
            "group": TEXT_OR_NULL,
        },
        ["service_code", "service_name", "metadata", "type"],
    ),
}

SERVICE_DEFINITION = _object(
    {
        "service_code": ID,
        "attributes": {
            "type": "array",
            "items": _object(
                {
                    "variable": {"type": "boolean"},
                    "code": ID,
                    "datatype": {
                        "enum": [
                            "string",
                            "number",
                            "datetime",
                            "text",
                            "singlevaluelist",
                            "multivaluelist",
                        ]
                    },
                    "required": {"type": "boolean"},
                    "datatype_description": TEXT_OR_NULL,
                    "order": {"type": "integer", "minimum": 1},
                    "description": {"type": "string"},
                    "values": {
                        "type": "array",
                        "items": _object(
                            {"key": ID, "name": {"type": "string"}}, ["key", "name"]
                        ),
                    },
                },
                ["variable", "code", "datatype", "required", "order", "description"],
            ),
        },
    },
    ["service_code", "attributes"],
)

# POST: service_request_id, or a token, never both.
POST_RESPONSE = {
    "type": "array",
    "minItems": 1,
    "items": {
        **_object(
            {
                "service_request_id": ID,
                "token": ID,
                "service_notice": TEXT_OR_NULL,
                "account_id": {"type": ["string", "integer", "null"]},
            },
            [],
        ),
        "oneOf": [{"required": ["service_request_id"]}, {"required": ["token"]}],
    },
}

SERVICE_REQUESTS = {
    "type": "array",
    "items": _object(
        {
            "service_request_id": ID,
            "status": {"enum": ["open", "closed"]},
            "status_notes": TEXT_OR_NULL,
            "service_name": {"type": "string"},
            "service_code": ID,
            "description": {"type": ["string", "null"], "maxLength": 4000},
            "agency_responsible": TEXT_OR_NULL,
            "service_notice": TEXT_OR_NULL,
            "requested_datetime": {"type": "string", "pattern": W3C_DATETIME},
            "updated_datetime": {"type": "string", "pattern": W3C_DATETIME},
            "expected_datetime": {
                "type": ["string", "null"],
                "pattern": W3C_DATETIME,
            },
            "address": TEXT_OR_NULL,
            "address_id": {"type": ["string", "integer", "null"]},
            "zipcode": {"type": ["string", "integer", "null"]},
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "long": {"type": "number", "minimum": -180, "maximum": 180},
            "media_url": {"type": ["string", "null"], "pattern": "^https?://"},
        },
        [
            "service_request_id",
            "status",
            "service_name",
            "service_code",
            "description",
            "requested_datetime",
            "updated_datetime",
            "lat",
            "long",
        ],
    ),
}

# Element names of the XML documents, by root.
XML_ELEMENTS = {
    "discovery": {"changeset", "contact", "key_service", "endpoints"},
    "endpoint": {"specification", "url", "changeset", "type", "formats"},
    "service": set(SERVICES["items"]["properties"]),
    "service_definition": {"service_code", "attributes"},
    "attribute": set(
        SERVICE_DEFINITION["properties"]["attributes"]["items"]["properties"]
    ),
    "request": set(SERVICE_REQUESTS["items"]["properties"]),
    "error": {"code", "description"},
}
