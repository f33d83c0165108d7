"""Text-to-Speech namespaces of AsyncSonioxClient: ``tts``, ``tts_models``, ``voices``.

Facades over soniox_core operations, named and shaped as in the official
``soniox`` SDK. This file is the source of ``soniox_sync/_client_tts.py``,
which ``scripts/unasync.py`` generates from it; edit this one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from soniox_core import (
    CreateTtsConfig,
    FileInput,
    GetSharedVoicesResponse,
    GetTtsModelsResponse,
    GetVoicesCountResponse,
    GetVoicesResponse,
    TtsAudioFormat,
    TtsBitrate,
    TtsSampleRate,
    TtsVoiceAge,
    TtsVoiceDetails,
    TtsVoiceGender,
    Voice,
)
from soniox_core._ops import tts as _tts
from soniox_core._ops import voices as _voices
from soniox_core._payloads_tts import DEFAULT_TTS_MODEL, DEFAULT_TTS_VOICE

from ._audio_file import AudioOutput
from ._client import _Namespace

__all__ = ["AsyncTtsAPI", "AsyncTtsModelsAPI", "AsyncVoicesAPI"]


class AsyncTtsAPI(_Namespace):
    """Text-to-Speech over REST: text in, audio out (``POST {tts_api_base_url}/tts``).

    ``generate`` returns the whole audio as bytes, as the official SDK does;
    ``generate_stream`` hands it over in chunks as it is produced, and
    ``generate_to_file`` writes those chunks to a file, so memory stays flat
    however long the text (up to 5000 characters).

    The settings rules are the official SDK's: ``audio_format`` defaults to
    ``"wav"``; leaving out ``language`` warns (``DeprecationWarning``) and means
    ``"en"``; the flat ``audio_format``/``sample_rate``/``bitrate`` arguments are
    deprecated in favour of ``config=CreateTtsConfig(...)``, which wins when both
    are given.
    """

    async def generate(
        self,
        *,
        text: str,
        voice: str,
        model: str = DEFAULT_TTS_MODEL,
        config: CreateTtsConfig | None = None,
        language: str | None = None,
        audio_format: TtsAudioFormat | None = None,
        sample_rate: TtsSampleRate | None = None,
        bitrate: TtsBitrate | None = None,
        client_reference_id: str | None = None,
    ) -> bytes:
        """Generate speech and return the whole audio.

        Args:
            text: What to say, 1 to 5000 characters.
            voice: A built-in voice name (``"Adrian"``) or the ID of a cloned voice.
            model: The Text-to-Speech model.
            config: Output settings (format, sample rate, bitrate, speed, silence reduction).
            language: Language code of the text, such as ``"en"``.
            audio_format: Deprecated; set ``config.audio_format``.
            sample_rate: Deprecated; set ``config.sample_rate``.
            bitrate: Deprecated; set ``config.bitrate``.
            client_reference_id: Your own tag for the request, shown in usage logs.

        Returns:
            The audio file's bytes, in the requested format.

        Raises:
            SonioxValidationError: An argument is out of range (nothing was sent).
            SonioxAPIError: The service refused (``error_code``/``error_type`` of its answer).
            SonioxTransportError: The network failed, also when the audio was cut short.
        """
        request = _tts.describe_generate(
            self._config,
            text=text,
            voice=voice,
            model=model,
            tts_config=config,
            language=language,
            audio_format=audio_format,
            sample_rate=sample_rate,
            bitrate=bitrate,
            client_reference_id=client_reference_id,
        )
        return await self._run(_tts.generate(self._config, request))

    async def generate_stream(
        self,
        *,
        text: str,
        voice: str,
        model: str = DEFAULT_TTS_MODEL,
        config: CreateTtsConfig | None = None,
        language: str | None = None,
        client_reference_id: str | None = None,
    ) -> AsyncIterator[bytes]:
        """Generate speech and yield the audio in chunks as it arrives (not in the official SDK).

        The first chunk comes as soon as the service starts sending, so playback can
        begin before the text is fully spoken. If the audio is cut short, the chunks
        that did arrive are yielded and then the error is raised; the request is not
        repeated once audio has started. Closing the iterator early (or leaving
        it to be collected) closes the connection; ``contextlib.aclosing`` (async)
        or ``contextlib.closing`` (sync) around it does so at once.

        Args:
            text: What to say, 1 to 5000 characters.
            voice: A built-in voice name or the ID of a cloned voice.
            model: The Text-to-Speech model.
            config: Output settings.
            language: Language code of the text.
            client_reference_id: Your own tag for the request, shown in usage logs.

        Returns:
            An iterator of non-empty ``bytes`` chunks, which together are the audio file.

        Raises:
            SonioxValidationError: An argument is out of range (nothing was sent).
            SonioxAPIError: The service refused before sending audio.
            SonioxTransportError: The network failed, before or during the audio.
        """
        request = _tts.describe_generate(
            self._config,
            text=text,
            voice=voice,
            model=model,
            tts_config=config,
            language=language,
            client_reference_id=client_reference_id,
        )
        async for page in self._iterate_pages(_tts.generate_stream(self._config, request)):
            for chunk in page:
                yield chunk

    async def generate_to_file(
        self,
        output: AudioOutput,
        *,
        text: str,
        voice: str = DEFAULT_TTS_VOICE,
        model: str = DEFAULT_TTS_MODEL,
        config: CreateTtsConfig | None = None,
        language: str | None = None,
        audio_format: TtsAudioFormat | None = None,
        sample_rate: TtsSampleRate | None = None,
        bitrate: TtsBitrate | None = None,
        client_reference_id: str | None = None,
    ) -> int:
        """Generate speech into a file, writing the audio as it arrives.

        A path is written through a temporary file beside it, renamed over the
        path only when the audio is complete: after a failure or a cancellation
        the path is untouched (no partial file appears). A binary file object
        you pass is written in place and left open; after a failure it holds the
        audio received so far, and the error is raised.

        Args:
            output: A path, or a binary file object open for writing.
            text: What to say, 1 to 5000 characters.
            voice: A built-in voice name or the ID of a cloned voice.
            model: The Text-to-Speech model.
            config: Output settings.
            language: Language code of the text.
            audio_format: Deprecated; set ``config.audio_format``.
            sample_rate: Deprecated; set ``config.sample_rate``.
            bitrate: Deprecated; set ``config.bitrate``.
            client_reference_id: Your own tag for the request, shown in usage logs.

        Returns:
            The number of bytes written.

        Raises:
            SonioxValidationError: An argument or ``output`` is unusable (nothing was sent).
            SonioxAPIError: The service refused.
            SonioxTransportError: The network failed, also when the audio was cut short.
        """
        request = _tts.describe_generate(
            self._config,
            text=text,
            voice=voice,
            model=model,
            tts_config=config,
            language=language,
            audio_format=audio_format,
            sample_rate=sample_rate,
            bitrate=bitrate,
            client_reference_id=client_reference_id,
        )
        return await self._client._runner.write_stream(_tts.generate_stream(self._config, request), output)


class AsyncTtsModelsAPI(_Namespace):
    """Text-to-Speech models available to your account."""

    async def list(self) -> GetTtsModelsResponse:
        """List Text-to-Speech models with their voices and languages, ``GET /tts-models``.

        Returns:
            Every model and what it supports.

        Raises:
            SonioxAPIError: The service refused.
        """
        return await self._run(_tts.list_tts_models(self._config))


class AsyncVoicesAPI(_Namespace):
    """Cloned voices (``/voices``) and the shared voices built into models (``/shared-voices``)."""

    async def list(self, limit: int = 100, cursor: str | None = None) -> GetVoicesResponse:
        """List the voices you cloned: one page, ``GET /voices``.

        Args:
            limit: Voices per page, 1 to 1000.
            cursor: ``next_page_cursor`` of the previous page.

        Returns:
            A page of voices and the cursor of the next one.

        Raises:
            SonioxValidationError: ``limit`` is out of range.
            SonioxAPIError: The service refused.
        """
        return await self._run(_voices.list_page(self._config, limit, cursor))

    async def list_all(self, limit: int = 100) -> AsyncIterator[Voice]:
        """Iterate through all cloned voices across all pages.

        Args:
            limit: Voices fetched per request, 1 to 1000.

        Returns:
            An iterator of voices.

        Raises:
            SonioxValidationError: ``limit`` is out of range.
            SonioxAPIError: The service refused.
        """
        async for page in self._iterate_pages(_voices.list_all(self._config, limit)):
            for item in page:
                yield item

    async def count(self) -> GetVoicesCountResponse:
        """How many voices the project has, ``GET /voices/count``.

        Returns:
            The total.

        Raises:
            SonioxAPIError: The service refused.
        """
        return await self._run(_voices.count(self._config))

    async def get(self, voice_id: str) -> Voice:
        """Retrieve a cloned voice by ID, ``GET /voices/{voice_id}``.

        Args:
            voice_id: The voice's ID.

        Returns:
            The voice, with its readiness per model.

        Raises:
            SonioxNotFoundError: There is no such voice.
            SonioxAPIError: The service refused.
        """
        return await self._run(_voices.get(self._config, voice_id))

    async def get_or_none(self, voice_id: str) -> Voice | None:
        """Retrieve a cloned voice by ID, or None if it does not exist.

        Args:
            voice_id: The voice's ID.

        Returns:
            The voice, or None.

        Raises:
            SonioxAPIError: The service refused (other than "not found").
        """
        return await self._run(_voices.get_or_none(self._config, voice_id))

    async def create(self, file: FileInput, *, name: str, filename: str | None = None) -> Voice:
        """Clone a voice from a reference clip, ``POST /voices`` (a streamed multipart upload).

        Keep the clip short (about 20 seconds; longer ones fail during processing).
        A file object you opened is read from its current position and stays open.

        Args:
            file: The clip: bytes, a path, or a binary file object.
            name: The voice's name, 1 to 128 characters, unique in the project.
            filename: The name sent for the clip (default: the path's name, or ``upload.bin``).

        Returns:
            The new voice; its models become ``ready`` once processed.

        Raises:
            SonioxValidationError: The name or the file is unusable (nothing was sent).
            SonioxConflictError: The name is taken.
            SonioxAPIError: The service refused.
        """
        return await self._run(_voices.create(self._config, file, name, filename))

    async def recompute(self, voice_id: str, *, model: str | None = None) -> Voice:
        """Prepare a voice for models it is not ready for, ``POST /voices/{voice_id}/recompute``.

        Args:
            voice_id: The voice's ID.
            model: One model to prepare it for; None prepares every model it is not ready for.

        Returns:
            The voice, with its updated readiness.

        Raises:
            SonioxNotFoundError: There is no such voice.
            SonioxAPIError: The service refused.
        """
        return await self._run(_voices.recompute(self._config, voice_id, model))

    async def delete(self, voice_id: str) -> None:
        """Delete a cloned voice, ``DELETE /voices/{voice_id}``.

        Args:
            voice_id: The voice's ID.

        Raises:
            SonioxNotFoundError: There is no such voice.
            SonioxAPIError: The service refused.
        """
        await self._run(_voices.delete(self._config, voice_id))

    async def delete_if_exists(self, voice_id: str) -> None:
        """Delete a cloned voice if it exists; a missing one is not an error.

        Args:
            voice_id: The voice's ID.

        Raises:
            SonioxAPIError: The service refused (other than "not found").
        """
        await self._run(_voices.delete_if_exists(self._config, voice_id))

    async def list_shared(
        self,
        model: str,
        *,
        gender: TtsVoiceGender | None = None,
        age: TtsVoiceAge | None = None,
        accent: str | None = None,
        use_case: Sequence[str] | None = None,
        style: Sequence[str] | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> GetSharedVoicesResponse:
        """List the built-in voices of a model matching every filter: one page, ``GET /shared-voices``.

        Args:
            model: The Text-to-Speech model's ID.
            gender: ``"male"``, ``"female"`` or ``"neutral"``.
            age: ``"young"``, ``"middle_aged"`` or ``"old"``.
            accent: Such as ``"american"``.
            use_case: Tags every voice must have (up to 10).
            style: Tags every voice must have (up to 10).
            limit: Voices per page, 1 to 200.
            cursor: ``next_page_cursor`` of the previous page (pass the same filters with it).

        Returns:
            A page of voices and the cursor of the next one.

        Raises:
            SonioxValidationError: A filter or ``limit`` is out of range.
            SonioxAPIError: The service refused.
        """
        return await self._run(
            _voices.list_shared(
                self._config,
                model,
                gender=gender,
                age=age,
                accent=accent,
                use_case=use_case,
                style=style,
                limit=limit,
                cursor=cursor,
            )
        )

    async def list_all_shared(
        self,
        model: str,
        *,
        gender: TtsVoiceGender | None = None,
        age: TtsVoiceAge | None = None,
        accent: str | None = None,
        use_case: Sequence[str] | None = None,
        style: Sequence[str] | None = None,
        limit: int = 100,
    ) -> AsyncIterator[TtsVoiceDetails]:
        """Iterate through all built-in voices of a model matching the filters (sent with every page).

        Args:
            model: The Text-to-Speech model's ID.
            gender: ``"male"``, ``"female"`` or ``"neutral"``.
            age: ``"young"``, ``"middle_aged"`` or ``"old"``.
            accent: Such as ``"american"``.
            use_case: Tags every voice must have.
            style: Tags every voice must have.
            limit: Voices fetched per request, 1 to 200.

        Returns:
            An iterator of voices.

        Raises:
            SonioxValidationError: A filter or ``limit`` is out of range.
            SonioxAPIError: The service refused.
        """
        op = _voices.list_all_shared(
            self._config,
            model,
            gender=gender,
            age=age,
            accent=accent,
            use_case=use_case,
            style=style,
            limit=limit,
        )
        async for page in self._iterate_pages(op):
            for item in page:
                yield item
