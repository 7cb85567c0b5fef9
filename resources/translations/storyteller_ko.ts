<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ko_KR">
<context>
    <name>CandidatesDialog</name>
    <message>
        <location filename="../../storyteller/gui/candidates.py" line="14" />
        <source>Choose a continuation</source>
        <translation>이어질 글 고르기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/candidates.py" line="22" />
        <source>Use %1</source>
        <translation>%1번 사용</translation>
    </message>
</context>
<context>
    <name>ContextBar</name>
    <message>
        <location filename="../../storyteller/gui/context_view.py" line="28" />
        <source>memory</source>
        <translation>메모리</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/context_view.py" line="28" />
        <source>world info</source>
        <translation>세계 정보</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/context_view.py" line="28" />
        <source>story</source>
        <translation>이야기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/context_view.py" line="29" />
        <source>author's note</source>
        <translation>작가 노트</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/context_view.py" line="29" />
        <source>free</source>
        <translation>남은 칸</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/context_view.py" line="36" />
        <source>Tokens the model reads (of %1): </source>
        <translation>모델이 읽는 토큰 (%1개 중): </translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/context_view.py" line="38" />
        <source>Left out: the story's first %1 tokens.</source>
        <translation>이야기 앞부분 %1개 토큰은 빠졌습니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/context_view.py" line="40" />
        <source>Click to see the exact text.</source>
        <translation>눌러서 실제로 보내는 글을 보세요.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/context_view.py" line="50" />
        <source>No model yet</source>
        <translation>아직 모델이 없습니다</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/context_view.py" line="67" />
        <source>Text sent to the model</source>
        <translation>모델에 보내는 글</translation>
    </message>
</context>
<context>
    <name>LossCurve</name>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="60" />
        <source>The loss curve appears here.</source>
        <translation>여기에 손실 곡선이 나타납니다.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="66" />
        <source>Loading model…</source>
        <translation>모델 불러오는 중…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="94" />
        <source>You are using the small built-in demo model: it writes rough Korean. Download KoGPT2 for real stories.</source>
        <translation>작은 내장 데모 모델을 쓰고 있습니다. 한국어가 서툽니다. 제대로 쓰려면 KoGPT2를 내려받으세요.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="97" />
        <source>Download KoGPT2…</source>
        <translation>KoGPT2 내려받기…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="112" />
        <source>Pin</source>
        <translation>고정</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="114" />
        <source>A pinned continuation is kept: Retry will not replace it.</source>
        <translation>고정한 이어 쓰기는 다시 쓰기로 바뀌지 않습니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="115" />
        <source>Previous version of the last continuation</source>
        <translation>마지막 이어 쓰기의 이전 버전</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="116" />
        <source>Next version of the last continuation</source>
        <translation>마지막 이어 쓰기의 다음 버전</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="120" />
        <source>Last continuation:</source>
        <translation>마지막 이어 쓰기:</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="137" />
        <source>Continue</source>
        <translation>이어 쓰기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="139" />
        <source>Stop</source>
        <translation>멈추기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="140" />
        <source>Retry</source>
        <translation>다시 쓰기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="141" />
        <source>Undo</source>
        <translation>되돌리기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="142" />
        <source>Redo</source>
        <translation>다시 실행</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="147" />
        <source>Story</source>
        <translation>이야기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="153" />
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="156" />
        <source>&amp;New</source>
        <translation>새 이야기(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="157" />
        <source>&amp;Open…</source>
        <translation>열기(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="161" />
        <source>Open &amp;recent</source>
        <translation>최근 파일(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="162" />
        <source>&amp;Save</source>
        <translation>저장(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="163" />
        <source>Save &amp;as…</source>
        <translation>다른 이름으로 저장(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="158" />
        <source>Import text or KoboldAI story…</source>
        <translation>텍스트·KoboldAI 이야기 가져오기…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="166" />
        <source>Export as text or Markdown…</source>
        <translation>텍스트·마크다운으로 내보내기…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="168" />
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="169" />
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="172" />
        <source>&amp;Generate</source>
        <translation>생성(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="175" />
        <source>Keep partial text when stopped</source>
        <translation>멈췄을 때 쓰던 글 남기기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="180" />
        <source>&amp;Models</source>
        <translation>모델(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="181" />
        <source>Model manager…</source>
        <translation>모델 관리…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="182" />
        <source>Fine-tune on my texts…</source>
        <translation>내 글로 미세 조정…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="183" />
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="217" />
        <source>Unsaved changes</source>
        <translation>저장하지 않은 변경</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="218" />
        <source>The story has unsaved changes. Save them first?</source>
        <translation>저장하지 않은 변경이 있습니다. 먼저 저장할까요?</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="246" />
        <source>Open story</source>
        <translation>이야기 열기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="247" />
        <location filename="../../storyteller/gui/main_window.py" line="268" />
        <source>Stories (*.story.json)</source>
        <translation>이야기 (*.story.json)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="255" />
        <source>The story could not be opened</source>
        <translation>이야기를 열 수 없습니다</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="267" />
        <source>Save story</source>
        <translation>이야기 저장</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="281" />
        <source>The story could not be saved</source>
        <translation>이야기를 저장할 수 없습니다</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="289" />
        <source>Saved to %1</source>
        <translation>%1에 저장했습니다</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="295" />
        <source>Import</source>
        <translation>가져오기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="296" />
        <source>Text or KoboldAI story (*.txt *.json)</source>
        <translation>텍스트 또는 KoboldAI 이야기 (*.txt *.json)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="302" />
        <source>The file could not be imported</source>
        <translation>파일을 가져올 수 없습니다</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="307" />
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="308" />
        <source>Text (*.txt);;Markdown (*.md)</source>
        <translation>텍스트 (*.txt);;마크다운 (*.md)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="316" />
        <source>The story could not be exported</source>
        <translation>이야기를 내보낼 수 없습니다</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="319" />
        <source>story</source>
        <translation>이야기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="349" />
        <source>Untitled</source>
        <translation>제목 없음</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="350" />
        <source>Storyteller</source>
        <translation>이야기꾼</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="360" />
        <source>edit</source>
        <translation>편집</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="404" />
        <source>Stopping…</source>
        <translation>멈추는 중…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="413" />
        <source>Cannot continue</source>
        <translation>이어 쓸 수 없습니다</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="421" />
        <source>Writing…</source>
        <translation>쓰는 중…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="455" />
        <source>Stopped.</source>
        <translation>멈췄습니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="455" />
        <source>Done.</source>
        <translation>다 썼습니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="457" />
        <source>The beginning of the story no longer fits the model's context.</source>
        <translation>이야기 앞부분은 이제 모델이 한 번에 읽을 수 있는 길이를 넘습니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="482" />
        <source>Generation failed</source>
        <translation>글을 쓰지 못했습니다</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="490" />
        <source>Loading model %1…</source>
        <translation>모델 %1 불러오는 중…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="490" />
        <source>(default)</source>
        <translation>(기본)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="497" />
        <location filename="../../storyteller/gui/main_window.py" line="505" />
        <source>Model: %1 on %2</source>
        <translation>모델: %1 · %2</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="507" />
        <source>No model loaded</source>
        <translation>불러온 모델 없음</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="508" />
        <source>The model could not be loaded</source>
        <translation>모델을 불러올 수 없습니다</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/main_window.py" line="573" />
        <source>Autosave failed (%1): save your story yourself.</source>
        <translation>자동 저장에 실패했습니다 (%1). 직접 저장하세요.</translation>
    </message>
</context>
<context>
    <name>ModelManager</name>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="63" />
        <location filename="../../storyteller/gui/models_dialog.py" line="239" />
        <source>Models</source>
        <translation>모델</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="70" />
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="70" />
        <source>Source</source>
        <translation>출처</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="70" />
        <source>License</source>
        <translation>라이선스</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="70" />
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="77" />
        <source>Auto</source>
        <translation>자동</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="77" />
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="77" />
        <source>GPU (CUDA)</source>
        <translation>GPU (CUDA)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="77" />
        <source>GPU (Apple)</source>
        <translation>GPU (Apple)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="86" />
        <source>Available here: %1</source>
        <translation>이 컴퓨터에서 쓸 수 있는 장치: %1</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="88" />
        <source>Use selected model</source>
        <translation>선택한 모델 쓰기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="90" />
        <source>Download KoGPT2…</source>
        <translation>KoGPT2 내려받기…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="92" />
        <source>Import folder…</source>
        <translation>폴더 가져오기…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="93" />
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="94" />
        <source>Cancel download</source>
        <translation>내려받기 취소</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="99" />
        <source>Models are kept in %1</source>
        <translation>모델 저장 위치: %1</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="106" />
        <source>Run on</source>
        <translation>실행 장치</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="159" />
        <source>built-in demo</source>
        <translation>내장 데모</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="178" />
        <source>KoGPT2 (%1) by SK Telecom, about %2 MB.

License: %3 — you may use it for non-commercial purposes, must credit SK Telecom, and must share adaptations under the same license.

Download it now?</source>
        <translation>SK텔레콤의 KoGPT2 (%1), 약 %2 MB.

라이선스: %3 — 비영리 목적으로만 쓸 수 있고, SK텔레콤을 밝혀야 하며, 고친 것은 같은 라이선스로 공유해야 합니다.

지금 내려받을까요?</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="181" />
        <source>Download KoGPT2</source>
        <translation>KoGPT2 내려받기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="190" />
        <source>Connecting…</source>
        <translation>연결하는 중…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="194" />
        <source>Folder with config.json, weights and tokenizer</source>
        <translation>config.json, 가중치, 토크나이저가 든 폴더</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="197" />
        <source>Import model</source>
        <translation>모델 가져오기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="197" />
        <source>Name in Storyteller:</source>
        <translation>이야기꾼에서 쓸 이름:</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="202" />
        <source>Importing…</source>
        <translation>가져오는 중…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="209" />
        <location filename="../../storyteller/gui/models_dialog.py" line="215" />
        <source>Remove model</source>
        <translation>모델 삭제</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="210" />
        <source>Remove %1 from this computer?</source>
        <translation>이 컴퓨터에서 %1을(를) 삭제할까요?</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="230" />
        <source>%1 is installed.</source>
        <translation>%1 설치를 마쳤습니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/models_dialog.py" line="243" />
        <source>Download paused. Start it again to resume where it stopped.</source>
        <translation>내려받기를 멈췄습니다. 다시 시작하면 멈춘 곳부터 이어 받습니다.</translation>
    </message>
</context>
<context>
    <name>NextWordsPanel</name>
    <message>
        <location filename="../../storyteller/gui/suggestions.py" line="20" />
        <source>Next words:</source>
        <translation>다음 낱말:</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/suggestions.py" line="39" />
        <source>Insert “%1” at the cursor</source>
        <translation>커서 자리에 “%1” 넣기</translation>
    </message>
</context>
<context>
    <name>NotesPanel</name>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="32" />
        <source>Always sent first: the setting, the characters, the style…</source>
        <translation>언제나 맨 앞에 보냅니다: 배경, 인물, 문체…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="33" />
        <source>Memory is put before the story every time the model writes.</source>
        <translation>모델이 쓸 때마다 메모리를 이야기 앞에 붙입니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="36" />
        <source>A hint for what comes next, e.g. 긴장감을 높일 것.</source>
        <translation>다음 전개에 대한 힌트. 예: 긴장감을 높일 것.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="39" />
        <source>How many pieces before the end the note is inserted.</source>
        <translation>끝에서 몇 조각 앞에 노트를 넣을지 정합니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="41" />
        <source>How the note is written into the text; {note} stands for it.</source>
        <translation>노트를 글에 넣는 형식입니다. {note} 자리에 노트가 들어갑니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="46" />
        <source>Memory</source>
        <translation>메모리</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="48" />
        <source>Author's note</source>
        <translation>작가 노트</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="51" />
        <source>Depth</source>
        <translation>깊이</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="52" />
        <source>Template</source>
        <translation>형식</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="54" />
        <source>World info</source>
        <translation>세계 정보</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="59" />
        <source>Add</source>
        <translation>추가</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="60" />
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="65" />
        <source>Keys, comma separated: 철수, 영수</source>
        <translation>키워드, 쉼표로 구분: 철수, 영수</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="67" />
        <source>Optional: one of these must appear too</source>
        <translation>선택: 이 가운데 하나도 함께 나와야 합니다</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="72" />
        <source>Always on</source>
        <translation>항상 켜기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="73" />
        <source>Enabled</source>
        <translation>사용</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="74" />
        <source>Match whole words only (off: 철수 also matches 철수가)</source>
        <translation>낱말 전체만 찾기 (끄면 철수가 철수가·철수는에도 맞음)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="77" />
        <source>How many pieces at the end are searched for keys (0: all).</source>
        <translation>끝에서 몇 조각까지 키워드를 찾을지 정합니다 (0: 전체).</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="79" />
        <source>Keys</source>
        <translation>키워드</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="80" />
        <source>Also needs</source>
        <translation>함께 필요</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="81" />
        <source>Content</source>
        <translation>내용</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="91" />
        <source>Scan depth</source>
        <translation>찾는 범위</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/notes.py" line="132" />
        <location filename="../../storyteller/gui/notes.py" line="175" />
        <source>(new entry)</source>
        <translation>(새 항목)</translation>
    </message>
</context>
<context>
    <name>PlayView</name>
    <message>
        <location filename="../../storyteller/gui/play.py" line="43" />
        <source>New adventure</source>
        <translation>새 모험</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="46" />
        <source>Genre</source>
        <translation>장르</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="56" />
        <source>Do</source>
        <translation>행동</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="57" />
        <source>Say</source>
        <translation>말</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="58" />
        <source>Story</source>
        <translation>이야기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="59" />
        <source>Do: 문을 연다 → &gt; 나는 문을 연다.  Say: 누구세요? → &gt; “누구세요?”라고 말한다.  Story: narration added as is.</source>
        <translation>행동: 문을 연다 → &gt; 나는 문을 연다.  말: 누구세요? → &gt; “누구세요?”라고 말한다.  이야기: 서술을 그대로 덧붙입니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="64" />
        <source>What do you do? e.g. 문을 연다</source>
        <translation>무엇을 할까요? 예: 문을 연다</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="65" />
        <source>Send</source>
        <translation>보내기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="67" />
        <source>Stop</source>
        <translation>멈추기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="82" />
        <source>Fantasy</source>
        <translation>판타지</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="82" />
        <source>Martial arts</source>
        <translation>무협</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="82" />
        <source>SF</source>
        <translation>SF</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="83" />
        <source>Horror</source>
        <translation>공포</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="83" />
        <source>Mystery</source>
        <translation>추리</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/play.py" line="83" />
        <source>Romance</source>
        <translation>로맨스</translation>
    </message>
</context>
<context>
    <name>SamplingPanel</name>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="56" />
        <source>Ready-made settings; your own ones are saved too.</source>
        <translation>미리 만든 설정입니다. 직접 만든 설정도 저장됩니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="57" />
        <source>Save as preset…</source>
        <translation>설정 저장…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="58" />
        <source>Preset</source>
        <translation>설정</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="94" />
        <source>random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="95" />
        <source>The same seed and text give the same result. 'random' picks a new one each time.</source>
        <translation>같은 시드와 글이면 같은 결과가 나옵니다. '무작위'는 매번 새로 고릅니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="97" />
        <source>Seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="98" />
        <source>Always take the likeliest word (no sampling)</source>
        <translation>늘 가장 그럴듯한 낱말 고르기 (샘플링 없음)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="113" />
        <source>Temperature</source>
        <translation>온도</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="113" />
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="113" />
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="114" />
        <source>Typical-p</source>
        <translation>Typical-p</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="114" />
        <source>Repetition penalty</source>
        <translation>반복 억제</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="115" />
        <source>Penalty range</source>
        <translation>억제 범위</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="115" />
        <source>Penalty slope</source>
        <translation>억제 기울기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="116" />
        <source>No-repeat n-gram</source>
        <translation>n-gram 반복 금지</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="116" />
        <source>Length</source>
        <translation>길이</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="117" />
        <source>Candidates</source>
        <translation>후보 수</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="122" />
        <source>Higher is more surprising, lower more predictable.</source>
        <translation>높을수록 뜻밖의 글, 낮을수록 무난한 글이 나옵니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="123" />
        <source>Choose only among the k likeliest words (0: off).</source>
        <translation>가장 그럴듯한 k개 낱말 가운데서만 고릅니다 (0: 끔).</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="124" />
        <source>Choose among the likeliest words that together cover this share of probability (1: off).</source>
        <translation>확률을 합쳐 이 비율이 될 때까지의 낱말 가운데서 고릅니다 (1: 끔).</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="125" />
        <source>Prefer words about as surprising as usual for the text (1: off).</source>
        <translation>글에 어울리는 만큼만 뜻밖인 낱말을 고릅니다 (1: 끔).</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="126" />
        <source>Make words already in the text less likely (1: off). KoGPT2 loops without it.</source>
        <translation>이미 나온 낱말을 덜 쓰게 합니다 (1: 끔). 없으면 KoGPT2가 같은 말을 되풀이합니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="127" />
        <source>Penalise only the last N tokens of the text (0: the whole text).</source>
        <translation>마지막 N개 토큰에만 반복 억제를 적용합니다 (0: 글 전체).</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="128" />
        <source>Penalise recent words more than old ones (0: all alike).</source>
        <translation>최근 낱말을 오래된 낱말보다 더 억제합니다 (0: 모두 같게).</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="129" />
        <source>Never repeat a run of this many tokens (0: off).</source>
        <translation>이만큼 이어진 토큰은 다시 쓰지 않습니다 (0: 끔).</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="130" />
        <source>How many tokens to write at most each time.</source>
        <translation>한 번에 쓸 토큰 수의 상한입니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="131" />
        <source>How many continuations to write at once, to pick from.</source>
        <translation>한 번에 몇 가지 이어 쓰기를 만들어 고를지 정합니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="201" />
        <source>— choose —</source>
        <translation>— 고르기 —</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="202" />
        <source>Default</source>
        <translation>기본</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="202" />
        <source>Creative</source>
        <translation>창의적</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="202" />
        <source>Steady</source>
        <translation>안정적</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="226" />
        <source>Save preset</source>
        <translation>설정 저장</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/sampling.py" line="226" />
        <source>Name of the preset:</source>
        <translation>설정 이름:</translation>
    </message>
</context>
<context>
    <name>StorytellerWindow</name>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="40" />
        <source>Sampling</source>
        <translation>샘플링</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="41" />
        <source>Memory and world info</source>
        <translation>메모리와 세계 정보</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="48" />
        <source>Next words and context</source>
        <translation>다음 낱말과 문맥</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="57" />
        <source>Write</source>
        <translation>쓰기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="58" />
        <source>Play</source>
        <translation>놀이</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="88" />
        <source>&amp;Settings</source>
        <translation>설정(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="89" />
        <source>Language (after restart)</source>
        <translation>언어 (다시 시작한 뒤)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="92" />
        <source>System</source>
        <translation>시스템</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="102" />
        <source>The language changes when Storyteller restarts.</source>
        <translation>이야기꾼을 다시 시작하면 언어가 바뀝니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="189" />
        <source>Play this story?</source>
        <translation>이 이야기로 놀까요?</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="190" />
        <source>Switch this story to adventure mode? Your actions will be added as &gt; lines.</source>
        <translation>이 이야기를 모험 모드로 바꿀까요? 내 행동은 &gt; 줄로 덧붙습니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="210" />
        <source>Adventure</source>
        <translation>모험</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="227" />
        <source>an untitled story</source>
        <translation>제목 없는 이야기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="228" />
        <source>Recover unsaved work?</source>
        <translation>저장하지 않은 글을 되살릴까요?</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/panels.py" line="229" />
        <source>Storyteller closed before “%1” was saved. Recover it?</source>
        <translation>“%1”을(를) 저장하기 전에 이야기꾼이 닫혔습니다. 되살릴까요?</translation>
    </message>
</context>
<context>
    <name>TrainDialog</name>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="86" />
        <source>Fine-tune a model on your texts</source>
        <translation>내 글로 모델 미세 조정</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="90" />
        <source>A .txt file, a folder of .txt files, or a .story.json</source>
        <translation>텍스트 파일, 텍스트 파일 폴더, 또는 .story.json</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="91" />
        <source>File…</source>
        <translation>파일…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="92" />
        <source>Folder…</source>
        <translation>폴더…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="106" />
        <source>e.g. my-style</source>
        <translation>예: 내-문체</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="116" />
        <source>Texts</source>
        <translation>글</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="117" />
        <source>Base model</source>
        <translation>기반 모델</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="118" />
        <source>Name of the new model</source>
        <translation>새 모델 이름</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="119" />
        <source>Epochs</source>
        <translation>에포크</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="120" />
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="125" />
        <source>Start training</source>
        <translation>학습 시작</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="126" />
        <source>Stop</source>
        <translation>멈추기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="127" />
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="155" />
        <source>Texts to learn from</source>
        <translation>학습할 글</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="156" />
        <source>Texts (*.txt *.story.json)</source>
        <translation>글 (*.txt *.story.json)</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="161" />
        <source>Folder of .txt files</source>
        <translation>텍스트 파일 폴더</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="182" />
        <source>Choose the texts to learn from first.</source>
        <translation>먼저 학습할 글을 고르세요.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="189" />
        <source>Preparing the texts…</source>
        <translation>글을 준비하는 중…</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="202" />
        <source>%1 is ready.</source>
        <translation>%1 준비가 끝났습니다.</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="204" />
        <source>Switch to %1 now?</source>
        <translation>지금 %1(으)로 바꿀까요?</translation>
    </message>
    <message>
        <location filename="../../storyteller/gui/train_dialog.py" line="215" />
        <source>Training stopped.</source>
        <translation>학습을 멈췄습니다.</translation>
    </message>
</context>
</TS>