"""Response examples of the OpenAPI document for Text-to-Speech, usage and concurrency,
as test data (keyed "METHOD path status"), so the tests do not read the spec file.
"""

from typing import Any

EXAMPLES: dict[str, Any] = {
    "GET /v1/tts-models 401": {
        "status_code": 401,
        "error_type": "unauthenticated",
        "message": "Incorrect API key provided. You can get an API key at https://console.soniox.com",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#unauthenticated",
    },
    "GET /v1/tts-models 429": {
        "status_code": 429,
        "error_type": "limit_exceeded",
        "message": "Requests per minute limit for model listing has been exceeded for your organization.",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#limit-exceeded",
    },
    "GET /v1/tts-models 500": {
        "status_code": 500,
        "error_type": "internal_error",
        "message": "The server encountered an error. Please try again. If the "
        "issue persists contact support@soniox.com.",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#internal-error",
    },
    "GET /v1/shared-voices 200": {
        "voices": [
            {
                "id": "Maya",
                "description": "A steady, clear voice with a natural "
                "presence and measured delivery that "
                "feels confident, warm, and easy to "
                "listen to.",
                "gender": "female",
                "age": "middle_aged",
                "accent": "british",
                "use_case": ["conversational"],
                "style": ["smooth", "confident", "neutral"],
            },
            {
                "id": "Victoria",
                "description": "A poised female voice with a refined "
                "British accent, smooth pacing, and a "
                "lightly textured tone that feels "
                "elegant, confident, and composed.",
                "gender": "female",
                "age": "middle_aged",
                "accent": "british",
                "use_case": ["educational", "narration", "conversational"],
                "style": ["formal", "bright", "confident", "neutral", "calm"],
            },
        ],
        "next_page_cursor": "cursor_or_null",
    },
    "GET /v1/shared-voices 400": {
        "status_code": 400,
        "error_type": "invalid_request",
        "message": "Your request did not pass validation. One or more "
        "fields in the request body are missing or have invalid "
        "values. See `validation_errors` for the specific field "
        "and retry with corrected values.",
        "validation_errors": [
            {
                "error_type": "enum",
                "location": "query.gender",
                "message": "Input should be 'male', 'female' or 'neutral'",
            }
        ],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#invalid-request",
    },
    "GET /v1/shared-voices 401": {
        "status_code": 401,
        "error_type": "unauthenticated",
        "message": "Incorrect API key provided. You can get an API key at https://console.soniox.com",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#unauthenticated",
    },
    "GET /v1/shared-voices 404": {
        "status_code": 404,
        "error_type": "invalid_request",
        "message": "TTS model 'tts-rt-v0' not found.",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#invalid-request",
    },
    "GET /v1/shared-voices 429": {
        "status_code": 429,
        "error_type": "limit_exceeded",
        "message": "Requests per minute limit for model listing has been exceeded for your organization.",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#limit-exceeded",
    },
    "GET /v1/shared-voices 500": {
        "status_code": 500,
        "error_type": "internal_error",
        "message": "The server encountered an error. Please try again. If "
        "the issue persists contact support@soniox.com.",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#internal-error",
    },
    "POST /tts 400": {
        "error_code": 400,
        "error_type": "invalid_request",
        "error_message": "Missing required field: model",
        "more_info": "https://soniox.com/docs/api-reference/errors#invalid-request",
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
    },
    "POST /tts 401": {
        "error_code": 401,
        "error_type": "unauthenticated",
        "error_message": "Incorrect API key provided. You can get an API key at https://console.soniox.com",
        "more_info": "https://soniox.com/docs/api-reference/errors#unauthenticated",
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
    },
    "POST /tts 402": {
        "error_code": 402,
        "error_type": "organization_balance_exhausted",
        "error_message": "Organization balance exhausted. Please either add funds "
        "manually or enable autopay.",
        "more_info": "https://soniox.com/docs/api-reference/errors#organization-balance-exhausted",
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
    },
    "POST /tts 403": {
        "error_code": 403,
        "error_type": "temp_api_key_session_expired",
        "error_message": "Temporary API key session duration limit exceeded. Create a "
        "new temporary API key to start a new session.",
        "more_info": "https://soniox.com/docs/api-reference/errors#temp-api-key-session-expired",
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
    },
    "POST /tts 408": {
        "error_code": 408,
        "error_type": "request_timeout",
        "error_message": "Request timeout.",
        "more_info": "https://soniox.com/docs/api-reference/errors#request-timeout",
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
    },
    "POST /tts 429": {
        "error_code": 429,
        "error_type": "limit_exceeded",
        "error_message": "Requests per minute limit for text-to-speech has been "
        "exceeded for your organization.",
        "more_info": "https://soniox.com/docs/api-reference/errors#limit-exceeded",
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
    },
    "POST /tts 500": {
        "error_code": 500,
        "error_type": "internal_error",
        "error_message": "The server had an error processing your request. Sorry about "
        "that! You can retry your request, or contact us through our "
        "support email support@soniox.com if you keep seeing this "
        "error.",
        "more_info": "https://soniox.com/docs/api-reference/errors#internal-error",
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
    },
    "POST /tts 503": {
        "error_code": 503,
        "error_type": "service_unavailable",
        "error_message": "Cannot continue request (code 11). Please restart the "
        "request. Refer to: "
        "https://soniox.com/url/cannot-continue-request",
        "more_info": "https://soniox.com/docs/api-reference/errors#service-unavailable",
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
    },
    "GET /v1/usage-logs 200": {
        "usage_logs": [
            {
                "uuid": "0d1e2f3a-4b5c-6d7e-8f90-1234567890ab",
                "request_scope": "api",
                "client_reference_id": "some_internal_id",
                "model": "stt-async-v3",
                "start_time": "2026-04-28T09:00:00Z",
                "end_time": "2026-04-28T09:00:12Z",
                "input_text_tokens": 42,
                "input_audio_tokens": 12345,
                "input_audio_duration_ms": 12000,
                "output_text_tokens": 678,
                "output_audio_tokens": 256,
                "output_audio_duration_ms": 4500,
                "cost_usd": "0.0081000000",
                "input_cost_usd": "0.0011000000",
                "input_text_cost_usd": "0.0001000000",
                "input_audio_cost_usd": "0.0010000000",
                "output_cost_usd": "0.0070000000",
                "output_text_cost_usd": "0.0050000000",
                "output_audio_cost_usd": "0.0020000000",
            }
        ],
        "next_page_cursor": "cursor_or_null",
    },
    "GET /v1/usage-logs 400": {
        "status_code": 400,
        "error_type": "invalid_request",
        "message": "Your request did not pass validation. One or more fields "
        "in the request body are missing or have invalid values. "
        "See `validation_errors` for the specific field and retry "
        "with corrected values.",
        "validation_errors": [
            {
                "error_type": "value_error",
                "location": "query.payload",
                "message": "The period between start_time and end_time must not exceed 31 days.",
            }
        ],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#invalid-request",
    },
    "GET /v1/usage-logs 401": {
        "status_code": 401,
        "error_type": "unauthenticated",
        "message": "Incorrect API key provided. You can get an API key at https://console.soniox.com",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#unauthenticated",
    },
    "GET /v1/usage-logs 429": {
        "status_code": 429,
        "error_type": "limit_exceeded",
        "message": "Requests per minute limit for usage logs has been exceeded for your organization.",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#limit-exceeded",
    },
    "GET /v1/usage-logs 500": {
        "status_code": 500,
        "error_type": "internal_error",
        "message": "The server encountered an error. Please try again. If the "
        "issue persists contact support@soniox.com.",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#internal-error",
    },
    "GET /v1/usage/summary 200": {
        "total": {
            "model": None,
            "days": ["2026-04-01", "2026-04-02"],
            "total_cost_usd": "0.2567250000",
            "total_input_cost_usd": "0.0415500000",
            "total_output_cost_usd": "0.2151750000",
            "total_duration_cost_usd": "0.0000000000",
            "cost_usd": ["0.1711500000", "0.0855750000"],
            "input_cost_usd": ["0.0277000000", "0.0138500000"],
            "output_cost_usd": ["0.1434500000", "0.0717250000"],
            "duration_cost_usd": ["0.0000000000", "0.0000000000"],
            "total_num_requests": 285,
            "total_input_text_tokens": 4800,
            "total_input_audio_tokens": 15000,
            "total_input_audio_duration_ms": 1800000,
            "total_output_text_tokens": 10800,
            "total_output_audio_tokens": 8250,
            "total_output_audio_duration_ms": 990000,
            "total_duration_ms": 0,
            "num_requests": [190, 95],
            "input_text_tokens": [3200, 1600],
            "input_audio_tokens": [10000, 5000],
            "input_audio_duration_ms": [1200000, 600000],
            "output_text_tokens": [7200, 3600],
            "output_audio_tokens": [5500, 2750],
            "output_audio_duration_ms": [660000, 330000],
            "duration_ms": [0, 0],
        },
        "models": [
            {
                "model": "stt-async-v5",
                "days": ["2026-04-01", "2026-04-02"],
                "total_cost_usd": "0.0613500000",
                "total_input_cost_usd": "0.0235500000",
                "total_output_cost_usd": "0.0378000000",
                "total_duration_cost_usd": "0.0000000000",
                "cost_usd": ["0.0409000000", "0.0204500000"],
                "input_cost_usd": ["0.0157000000", "0.0078500000"],
                "output_cost_usd": ["0.0252000000", "0.0126000000"],
                "duration_cost_usd": ["0.0000000000", "0.0000000000"],
                "total_num_requests": 60,
                "total_input_text_tokens": 300,
                "total_input_audio_tokens": 15000,
                "total_input_audio_duration_ms": 1800000,
                "total_output_text_tokens": 10800,
                "total_output_audio_tokens": 0,
                "total_output_audio_duration_ms": 0,
                "total_duration_ms": 0,
                "num_requests": [40, 20],
                "input_text_tokens": [200, 100],
                "input_audio_tokens": [10000, 5000],
                "input_audio_duration_ms": [1200000, 600000],
                "output_text_tokens": [7200, 3600],
                "output_audio_tokens": [0, 0],
                "output_audio_duration_ms": [0, 0],
                "duration_ms": [0, 0],
            },
            {
                "model": "tts-rt-v1",
                "days": ["2026-04-01", "2026-04-02"],
                "total_cost_usd": "0.1953750000",
                "total_input_cost_usd": "0.0180000000",
                "total_output_cost_usd": "0.1773750000",
                "total_duration_cost_usd": "0.0000000000",
                "cost_usd": ["0.1302500000", "0.0651250000"],
                "input_cost_usd": ["0.0120000000", "0.0060000000"],
                "output_cost_usd": ["0.1182500000", "0.0591250000"],
                "duration_cost_usd": ["0.0000000000", "0.0000000000"],
                "total_num_requests": 225,
                "total_input_text_tokens": 4500,
                "total_input_audio_tokens": 0,
                "total_input_audio_duration_ms": 0,
                "total_output_text_tokens": 0,
                "total_output_audio_tokens": 8250,
                "total_output_audio_duration_ms": 990000,
                "total_duration_ms": 0,
                "num_requests": [150, 75],
                "input_text_tokens": [3000, 1500],
                "input_audio_tokens": [0, 0],
                "input_audio_duration_ms": [0, 0],
                "output_text_tokens": [0, 0],
                "output_audio_tokens": [5500, 2750],
                "output_audio_duration_ms": [660000, 330000],
                "duration_ms": [0, 0],
            },
        ],
    },
    "GET /v1/usage/summary 400": {
        "status_code": 400,
        "error_type": "invalid_request",
        "message": "Your request did not pass validation. One or more "
        "fields in the request body are missing or have invalid "
        "values. See `validation_errors` for the specific field "
        "and retry with corrected values.",
        "validation_errors": [
            {
                "error_type": "value_error",
                "location": "query.payload",
                "message": "The window covers 517 UTC days, which exceeds the maximum of 366.",
            }
        ],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#invalid-request",
    },
    "GET /v1/usage/summary 401": {
        "status_code": 401,
        "error_type": "unauthenticated",
        "message": "Incorrect API key provided. You can get an API key at https://console.soniox.com",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#unauthenticated",
    },
    "GET /v1/usage/summary 429": {
        "status_code": 429,
        "error_type": "limit_exceeded",
        "message": "Requests per minute limit has been exceeded for your organization.",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#limit-exceeded",
    },
    "GET /v1/usage/summary 500": {
        "status_code": 500,
        "error_type": "internal_error",
        "message": "The server encountered an error. Please try again. If "
        "the issue persists contact support@soniox.com.",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#internal-error",
    },
    "GET /v1/concurrency-limits 200": {
        "project": {
            "current": {"transcribe_concurrent": 2, "tts_concurrent": 0},
            "limits": {"transcribe_concurrent": 4, "tts_concurrent": 1},
        },
        "organization": {
            "current": {"transcribe_concurrent": 5, "tts_concurrent": 1},
            "limits": {"transcribe_concurrent": 10, "tts_concurrent": 2},
        },
    },
    "GET /v1/concurrency-limits 401": {
        "status_code": 401,
        "error_type": "unauthenticated",
        "message": "Incorrect API key provided. You can get an API key at https://console.soniox.com",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
    },
    "GET /v1/concurrency-limits 429": {
        "status_code": 429,
        "error_type": "limit_exceeded",
        "message": "Requests per minute limit has been exceeded for your organization.",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
    },
    "GET /v1/concurrency-limits 500": {
        "status_code": 500,
        "error_type": "internal_error",
        "message": "The server encountered an error. Please try again. "
        "If the issue persists contact support@soniox.com.",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
    },
    "GET /v1/concurrent-streams-history 200": {
        "kind": "tts",
        "entries": [
            {
                "period_start": "2026-04-28T09:00:00Z",
                "period_sec": 60,
                "sample_min": 0,
                "sample_max": 4,
                "sample_sum": 21,
                "sample_count": 9,
                "total_count": 1,
            },
            {
                "period_start": "2026-04-28T09:01:00Z",
                "period_sec": 60,
                "sample_min": 0,
                "sample_max": 0,
                "sample_sum": 0,
                "sample_count": 0,
                "total_count": 0,
            },
        ],
    },
    "GET /v1/concurrent-streams-history 400": {
        "status_code": 400,
        "error_type": "invalid_request",
        "message": "Your request did not pass validation. One "
        "or more fields in the request body are "
        "missing or have invalid values. See "
        "`validation_errors` for the specific field "
        "and retry with corrected values.",
        "validation_errors": [
            {
                "error_type": "value_error",
                "location": "query.payload",
                "message": "For period_sec=60, "
                "the window between "
                "`start_time` and "
                "`end_time` must not "
                "exceed 7 days.",
            }
        ],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#invalid-request",
    },
    "GET /v1/concurrent-streams-history 401": {
        "status_code": 401,
        "error_type": "unauthenticated",
        "message": "Incorrect API key provided. You can get an API key at https://console.soniox.com",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#unauthenticated",
    },
    "GET /v1/concurrent-streams-history 429": {
        "status_code": 429,
        "error_type": "limit_exceeded",
        "message": "Requests per minute limit has been exceeded for your organization.",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#limit-exceeded",
    },
    "GET /v1/concurrent-streams-history 500": {
        "status_code": 500,
        "error_type": "internal_error",
        "message": "The server encountered an error. Please "
        "try again. If the issue persists contact "
        "support@soniox.com.",
        "validation_errors": [],
        "request_id": "3d37a3bd-5078-47ee-a369-b204e3bbedda",
        "more_info": "https://soniox.com/docs/api-reference/errors#internal-error",
    },
}
