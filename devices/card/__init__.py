"""Social security cards (社会保障卡): readers, the card application and an emulator.

- ``errors``: :class:`CardError` (stable ``code``), :class:`CardRemovedError`,
  :class:`CardReaderError`.
- ``apdu``: short APDUs and :class:`ApduChannel` (``61xx``/``6Cxx`` handling, exchange count).
- ``codec``, ``record``: BCD/GBK/TLV encodings; :class:`CardRecord`, :class:`PinResult`, the
  GB 11643 checks and the masks.
- ``ssc``: :class:`SocialSecurityCard` (select SSSE, read EF05/EF06, PIN, authentication).
- ``keys``: :class:`KeyService` for third-generation cards (``TestKeyService``: SM4 test key).
- ``reader``: the :class:`CardReader` / :class:`CardConnection` interface; backends ``pcsc``
  (pyscard's ``smartcard.scard``), ``sscard`` (the MOHRSS unified reader interface of a vendor
  library, through ctypes) and ``simulated`` (the emulator in-process).
- ``pinpad``: PC/SC part 10 pinpad readers (feature discovery, VERIFY_PIN_DIRECT).
- ``health``: is the PC/SC service running, is a reader there, is its driver missing; the fix
  for Linux and for Windows.
- ``emulator``: :class:`CardEmulator` driven by a card profile; ``vpcd``: :class:`VpcdLink`
  puts an emulated card into pcscd's vpcd virtual reader.

Nothing here imports the rest of the application; pyscard is imported only by ``pcsc`` and
``health`` when PC/SC is used. docs/card.md describes the whole layer.
"""
