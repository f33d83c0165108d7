"""Response examples of the Soniox OpenAPI document (soniox-openapi.json), as test data.

Keyed by "METHOD path status"; kept here so the tests do not depend on the spec file.
"""

from typing import Any

EXAMPLES: dict[str, Any] = {
    "GET /v1/files 200": {
        "files": [
            {
                "id": "84c32fc6-4fb5-4e7a-b656-b5ec70493753",
                "filename": "example.mp3",
                "size": 123456,
                "created_at": "2024-11-26T00:00:00Z",
            }
        ],
        "next_page_cursor": "cursor_or_null",
    },
    "POST /v1/files 201": {
        "id": "84c32fc6-4fb5-4e7a-b656-b5ec70493753",
        "filename": "example.mp3",
        "size": 123456,
        "created_at": "2024-11-26T00:00:00Z",
    },
    "GET /v1/files/count 200": {"playground": 8, "public_api": 42, "total": 50},
    "GET /v1/files/{file_id} 200": {
        "id": "84c32fc6-4fb5-4e7a-b656-b5ec70493753",
        "filename": "example.mp3",
        "size": 123456,
        "created_at": "2024-11-26T00:00:00Z",
        "client_reference_id": "some_internal_id",
    },
    "GET /v1/transcriptions 200": {
        "transcriptions": [
            {
                "id": "73d4357d-cad2-4338-a60d-ec6f2044f721",
                "status": "completed",
                "created_at": "2024-11-26T00:00:00Z",
                "model": "stt-async-preview",
                "audio_url": "https://soniox.com/media/examples/coffee_shop.mp3",
                "file_id": None,
                "filename": "coffee_shop.mp3",
                "language_hints": ["en", "fr"],
                "context": "extra context for the transcription",
                "audio_duration_ms": 16079,
                "error_message": None,
                "webhook_url": "https://example.com/webhook",
                "webhook_auth_header_name": "Authorization",
                "webhook_auth_header_value": "******************",
                "webhook_status_code": None,
                "client_reference_id": "some_internal_id",
            }
        ],
        "next_page_cursor": "cursor_or_null",
    },
    "POST /v1/transcriptions 201": {
        "id": "73d4357d-cad2-4338-a60d-ec6f2044f721",
        "status": "queued",
        "created_at": "2024-11-26T00:00:00Z",
        "model": "stt-async-preview",
        "audio_url": "https://soniox.com/media/examples/coffee_shop.mp3",
        "file_id": None,
        "filename": "coffee_shop.mp3",
        "language_hints": ["en", "fr"],
        "context": "extra context for the transcription",
        "audio_duration_ms": 0,
        "error_message": None,
        "webhook_url": "https://example.com/webhook",
        "webhook_auth_header_name": "Authorization",
        "webhook_auth_header_value": "******************",
        "webhook_status_code": None,
        "client_reference_id": "some_internal_id",
    },
    "GET /v1/transcriptions/count 200": {"playground": 8, "public_api": 42, "total": 50},
    "GET /v1/transcriptions/{transcription_id} 200": {
        "id": "73d4357d-cad2-4338-a60d-ec6f2044f721",
        "status": "completed",
        "created_at": "2024-11-26T00:00:00Z",
        "model": "stt-async-preview",
        "audio_url": "https://soniox.com/media/examples/coffee_shop.mp3",
        "file_id": None,
        "filename": "coffee_shop.mp3",
        "language_hints": ["en", "fr"],
        "context": "extra context for the transcription",
        "audio_duration_ms": 16079,
        "error_message": None,
        "webhook_url": "https://example.com/webhook",
        "webhook_auth_header_name": "Authorization",
        "webhook_auth_header_value": "******************",
        "webhook_status_code": None,
        "client_reference_id": "some_internal_id",
    },
    "GET /v1/transcriptions/{transcription_id}/transcript 200": {
        "id": "19b6d61d-02db-4c25-bc71-b4094dc310c8",
        "text": "Hello",
        "tokens": [
            {"text": "Hel", "start_ms": 10, "end_ms": 90, "confidence": 0.95},
            {"text": "lo", "start_ms": 110, "end_ms": 160, "confidence": 0.98},
        ],
    },
    "POST /v1/auth/temporary-api-key 201": {
        "api_key": "temp:WYJ67RBEFUWQXXPKYPD2UGXKWB",
        "expires_at": "2025-02-22T22:47:37.150Z",
    },
}
