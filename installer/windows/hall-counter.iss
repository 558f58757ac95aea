; Hall Counter - Windows installer (Inno Setup 6.3 or later).
;
; Packs the PyInstaller bundle dist\hall-counter\ built on Windows from the same spec:
;
;   .venv\Scripts\python -m ui.qt.i18n build
;   .venv\Scripts\pyinstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller ^
;       installer\hall-counter.spec
;   iscc /DAppVersion=0.1.0 installer\windows\hall-counter.iss
;
; The bundle holds two programs: hall-counter.exe (console: self-test, diagnostics, outbox, ...)
; and hall-counter-desk.exe (the window, no console), which the Start menu uses.
; Output: dist\hall-counter-<version>-setup.exe. Signing: see docs/install.md (sign the two
; .exe files before running iscc, then the setup program; or pass /Ssigntool=... to iscc and
; uncomment SignTool below).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Hall Counter"
#define AppNameZh "人社服务窗口"
#define Bundle "..\..\dist\hall-counter"

[Setup]
; A fixed AppId lets a newer setup upgrade an installed version in place. Never change it.
AppId={{6C1F3E52-8B2D-4E0A-9C57-2F4D1B7A9E31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Hall Counter
DefaultDirName={autopf}\Hall Counter
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=hall-counter-{#AppVersion}-setup
SetupIconFile=..\icons\hall-counter.ico
UninstallDisplayIcon={app}\hall-counter-desk.exe
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Qt 6 needs 64-bit Windows 10 1809 (build 17763) or later.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
; Installs for all users of the desk (Program Files) and configures the Smart Card service.
PrivilegesRequired=admin
CloseApplications=yes
RestartApplications=no
; SignTool=hcsign $f

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#ifexist "ChineseSimplified.isl"
; Not shipped with Inno Setup: the translation from jrsoftware.org's unofficial
; translations page, saved beside this script.
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"
#endif

[CustomMessages]
english.TrainingShortcut={#AppName} (training mode)
english.SelfTestShortcut={#AppName} self-test
english.SmartCardService=Start the Windows Smart Card service automatically (card readers)
english.ConfiguringSmartCard=Configuring the Smart Card service...
#ifexist "ChineseSimplified.isl"
chinesesimplified.TrainingShortcut={#AppNameZh}（培训模式）
chinesesimplified.SelfTestShortcut={#AppNameZh} 自检
chinesesimplified.SmartCardService=自动启动 Windows 智能卡服务（读卡器需要）
chinesesimplified.ConfiguringSmartCard=正在设置智能卡服务……
#endif

[Tasks]
Name: "smartcard"; Description: "{cm:SmartCardService}"
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle, as built. Replace it wholesale on upgrade.
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

; The folder of the system-wide configuration (config.toml, docs/configuration.md) with a
; complete example beside it; the setup never writes a configuration itself. Kept on uninstall.
Source: "..\..\docs\config-example.toml"; DestDir: "{commonappdata}\HallCounter"; DestName: "config.example.toml"; Flags: ignoreversion uninsneveruninstall

[Dirs]
Name: "{commonappdata}\HallCounter"; Flags: uninsneveruninstall

[InstallDelete]
; An upgrade must not keep libraries of the previous version beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\hall-counter-desk.exe"; WorkingDir: "{app}"
Name: "{group}\{cm:TrainingShortcut}"; Filename: "{app}\hall-counter-desk.exe"; Parameters: "--training"; WorkingDir: "{app}"
Name: "{group}\{cm:SelfTestShortcut}"; Filename: "{cmd}"; Parameters: "/k ""{app}\hall-counter.exe"" self-test"; WorkingDir: "{app}"; IconFilename: "{app}\hall-counter.exe"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\hall-counter-desk.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; The Smart Card service (SCardSvr) is "Manual (Trigger Start)" by default and stops while no
; reader is plugged in; Automatic keeps it up for the desk. Failure is not fatal.
Filename: "{sys}\sc.exe"; Parameters: "config SCardSvr start= auto"; Flags: runhidden; StatusMsg: "{cm:ConfiguringSmartCard}"; Tasks: smartcard
Filename: "{sys}\sc.exe"; Parameters: "start SCardSvr"; Flags: runhidden; Tasks: smartcard
Filename: "{app}\hall-counter-desk.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; Uninstalling removes {app} only. Each user's folder %LOCALAPPDATA%\hall-counter (outbox, logs,
; configuration; platformdirs puts data and configuration in the same place on Windows) stays:
; cases may still wait in its outbox. docs/install.md says how to check before removing it.
; So do %LOCALAPPDATA%\HallCounter\Keys (the outbox key file when Credential Manager is not
; used) and %ProgramData%\HallCounter (the system-wide configuration).
