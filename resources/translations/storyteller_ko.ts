<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name></name>
    <message>
        <source>The length ({new_tokens} new tokens) must be less than the model&apos;s context of {n_positions} tokens. Lower the length.</source>
        <translation>길이(새 토큰 {new_tokens}개)는 모델이 한 번에 읽을 수 있는 {n_positions} 토큰보다 작아야 합니다. 길이를 줄이세요.</translation>
    </message>
    <message>
        <source>The memory is too large: memory {memory}, world info {world_info}, author&apos;s note {authors_note} tokens make {total} of the {budget} tokens the model can read besides the continuation, leaving none for the story. Shorten the memory by at least {excess} tokens, or ask for fewer new tokens.</source>
        <translation>메모리가 너무 깁니다: 메모리 {memory}, 세계 정보 {world_info}, 작가 노트 {authors_note} 토큰을 합친 {total} 토큰이, 이어 쓸 몫을 빼고 모델이 읽을 수 있는 {budget} 토큰을 다 차지해 이야기가 들어갈 자리가 없습니다. 메모리를 {excess} 토큰 이상 줄이거나, 새로 쓸 토큰 수를 줄이세요.</translation>
    </message>
    <message>
        <source>The world info is too large: memory {memory}, world info {world_info}, author&apos;s note {authors_note} tokens make {total} of the {budget} tokens the model can read besides the continuation, leaving none for the story. Shorten the world info by at least {excess} tokens, or ask for fewer new tokens.</source>
        <translation>세계 정보가 너무 깁니다: 메모리 {memory}, 세계 정보 {world_info}, 작가 노트 {authors_note} 토큰을 합친 {total} 토큰이, 이어 쓸 몫을 빼고 모델이 읽을 수 있는 {budget} 토큰을 다 차지해 이야기가 들어갈 자리가 없습니다. 세계 정보를 {excess} 토큰 이상 줄이거나, 새로 쓸 토큰 수를 줄이세요.</translation>
    </message>
    <message>
        <source>The author&apos;s note is too large: memory {memory}, world info {world_info}, author&apos;s note {authors_note} tokens make {total} of the {budget} tokens the model can read besides the continuation, leaving none for the story. Shorten the author&apos;s note by at least {excess} tokens, or ask for fewer new tokens.</source>
        <translation>작가 노트가 너무 깁니다: 메모리 {memory}, 세계 정보 {world_info}, 작가 노트 {authors_note} 토큰을 합친 {total} 토큰이, 이어 쓸 몫을 빼고 모델이 읽을 수 있는 {budget} 토큰을 다 차지해 이야기가 들어갈 자리가 없습니다. 작가 노트를 {excess} 토큰 이상 줄이거나, 새로 쓸 토큰 수를 줄이세요.</translation>
    </message>
    <message>
        <source>There is no continuation at the end of the story to retry.</source>
        <translation>이야기 끝에 다시 쓸 이어 쓰기가 없습니다.</translation>
    </message>
    <message>
        <source>The last continuation is pinned. Unpin it to retry, or continue after it.</source>
        <translation>마지막 이어 쓰기가 고정되어 있습니다. 다시 쓰려면 고정을 풀거나, 그 뒤로 이어 쓰세요.</translation>
    </message>
    <message>
        <source>{path} is not UTF-8 text (invalid byte at position {position}); save it as UTF-8 and import again.</source>
        <translation>{path}은(는) UTF-8 텍스트가 아닙니다(위치 {position}에 잘못된 바이트). UTF-8로 저장한 뒤 다시 가져오세요.</translation>
    </message>
    <message>
        <source>{path} holds NUL characters at position {position}: it is not a text file, or it is UTF-16 text without a byte order mark. Save it as UTF-8 and import again.</source>
        <translation>위치 {position}에 NUL 문자가 있습니다. 텍스트 파일이 아니거나, 바이트 순서 표시(BOM) 없이 저장된 UTF-16 텍스트입니다. UTF-8로 저장한 뒤 다시 가져오세요. 파일: {path}</translation>
    </message>
    <message>
        <source>{name}: &quot;{field}&quot; must be a list or an object, not {type} {value}.</source>
        <translation>{name}: &quot;{field}&quot; 항목은 목록이나 객체여야 합니다. 지금 값: {type} {value}</translation>
    </message>
    <message>
        <source>{path} is not a KoboldAI story file: it has no &quot;actions&quot;.</source>
        <translation>{path}은(는) KoboldAI 이야기 파일이 아닙니다: &quot;actions&quot; 항목이 없습니다.</translation>
    </message>
    <message>
        <source>{path} is not a scenario Storyteller reads: not a Storyteller scenario (.scenario.json), a NovelAI .scenario, or a KoboldAI Lite scenario or save (.json).</source>
        <translation>{path}은(는) 이야기꾼이 읽을 수 있는 시나리오가 아닙니다: 이야기꾼 시나리오(.scenario.json), NovelAI .scenario, KoboldAI Lite 시나리오나 저장 파일(.json) 중 어느 것도 아닙니다.</translation>
    </message>
    <message>
        <source>The scenario &quot;{title}&quot; needs a value for {keys}: give one (e.g. --set {example}=…).</source>
        <translation>시나리오 &quot;{title}&quot;에는 {keys}의 값이 필요합니다: 값을 넣어 주세요(예: --set {example}=…).</translation>
    </message>
    <message>
        <source>The scenario could not be saved to {path}: {reason}.</source>
        <translation>시나리오를 {path}에 저장하지 못했습니다: {reason}.</translation>
    </message>
    <message>
        <source>The file {path} does not exist.</source>
        <translation>{path} 파일이 없습니다.</translation>
    </message>
    <message>
        <source>{path} cannot be read: {reason}.</source>
        <translation>{path}을(를) 읽을 수 없습니다: {reason}.</translation>
    </message>
    <message>
        <source>{name}: &quot;{field}&quot; is &quot;{key}&quot;; a placeholder&apos;s key is a name without : [ ] {{ }} | @ ^.</source>
        <translation>{name}: &quot;{field}&quot; 값 &quot;{key}&quot;: 빈칸 이름에는 : [ ] {{ }} | @ ^ 문자를 쓸 수 없습니다.</translation>
    </message>
    <message>
        <source>{name} is not a Storyteller scenario (its &quot;format&quot; is not &quot;{format}&quot;).</source>
        <translation>{name}은(는) 이야기꾼 시나리오가 아닙니다(&quot;format&quot;이 &quot;{format}&quot;이 아님).</translation>
    </message>
    <message>
        <source>{name} was saved by a newer Storyteller (scenario format version {version}; this one reads up to {supported}). Update Storyteller to use it.</source>
        <translation>{name}은(는) 더 새로운 이야기꾼으로 저장되었습니다(시나리오 형식 버전 {version}, 이 버전은 {supported}까지 읽음). 이야기꾼을 업데이트한 뒤 사용하세요.</translation>
    </message>
    <message>
        <source>{name}: the story of a scenario holds no pieces; put the text that starts it in &quot;opening&quot;.</source>
        <translation>{name}: 시나리오의 이야기에는 본문 조각이 들어갈 수 없습니다. 시작 글은 &quot;opening&quot;에 넣으세요.</translation>
    </message>
    <message>
        <source>There is no scenario named &quot;{name}&quot;. `storyteller scenario list` shows them; a file path works too.</source>
        <translation>&quot;{name}&quot;이라는 시나리오가 없습니다. `storyteller scenario list`로 목록을 볼 수 있고, 파일 경로를 써도 됩니다.</translation>
    </message>
    <message>
        <source>Unknown device {device}: choose one of {choices}.</source>
        <translation>알 수 없는 장치 {device}: {choices} 가운데 하나를 고르세요.</translation>
    </message>
    <message>
        <source>The device {device} is not available on this computer (available: {available}). Choose Auto or CPU.</source>
        <translation>이 컴퓨터에서는 {device} 장치를 쓸 수 없습니다(쓸 수 있는 장치: {available}). 자동이나 CPU를 고르세요.</translation>
    </message>
    <message>
        <source>{variable} must be a whole number of threads, not {value}.</source>
        <translation>{variable}은(는) {value}이(가) 아니라 스레드 수를 나타내는 정수여야 합니다.</translation>
    </message>
    <message>
        <source>The hub at {endpoint} did not say which commit {repo}@{revision} is; try again later.</source>
        <translation>{endpoint}의 허브가 {repo}@{revision}이(가) 어느 커밋인지 알려 주지 않았습니다. 나중에 다시 해 보세요.</translation>
    </message>
    <message>
        <source>{repo} has no config.json on the hub; it is not a transformers model Storyteller can run.</source>
        <translation>허브의 {repo}에는 config.json이 없습니다. 이야기꾼이 실행할 수 있는 transformers 모델이 아닙니다.</translation>
    </message>
    <message>
        <source>{repo} has no {safetensors} or {pickle} on the hub; Storyteller cannot run it.</source>
        <translation>허브의 {repo}에는 {safetensors}도 {pickle}도 없습니다. 이야기꾼으로 실행할 수 없습니다.</translation>
    </message>
    <message>
        <source>The model hub ({endpoint}) cannot be reached (HF_HUB_OFFLINE is set). To go on without it, import a model folder you already have with {import_folder}, or use the embedded demo model ({demo}).</source>
        <translation>모델 허브({endpoint})에 연결할 수 없습니다(HF_HUB_OFFLINE이 설정되어 있음). 허브 없이 계속하려면 이미 가진 모델 폴더를 {import_folder}(으)로 가져오거나, 내장 데모 모델({demo})을 쓰세요.</translation>
    </message>
    <message>
        <source>The model hub ({endpoint}) cannot be reached ({reason}). To go on without it, import a model folder you already have with {import_folder}, or use the embedded demo model ({demo}).</source>
        <translation>모델 허브({endpoint})에 연결할 수 없습니다({reason}). 허브 없이 계속하려면 이미 가진 모델 폴더를 {import_folder}(으)로 가져오거나, 내장 데모 모델({demo})을 쓰세요.</translation>
    </message>
    <message>
        <source>{repo} keeps its weights in several files ({weights}), which Storyteller cannot download yet. Download it with `hf download {repo} --local-dir DIR` and import DIR with {import_folder}.</source>
        <translation>{repo}은(는) 가중치를 여러 파일({weights})에 나누어 두어서 이야기꾼이 아직 내려받을 수 없습니다. `hf download {repo} --local-dir DIR`로 내려받은 뒤 {import_folder}(으)로 DIR을 가져오세요.</translation>
    </message>
    <message>
        <source>{repo} has no tokenizer on the hub (tokenizer.json, or vocab.json and merges.txt); Storyteller cannot run it.</source>
        <translation>허브의 {repo}에는 토크나이저(tokenizer.json, 또는 vocab.json과 merges.txt)가 없습니다. 이야기꾼으로 실행할 수 없습니다.</translation>
    </message>
    <message>
        <source>The hub did not report the size of {file}; try again later.</source>
        <translation>허브가 {file}의 크기를 알려 주지 않았습니다. 나중에 다시 해 보세요.</translation>
    </message>
    <message>
        <source>Cannot write the download into {folder} ({reason}). Free some disk space or fix the folder&apos;s permissions, then download again: what is already downloaded is kept.</source>
        <translation>내려받은 파일을 {folder}에 쓸 수 없습니다({reason}). 디스크 공간을 비우거나 폴더 권한을 고친 뒤 다시 내려받으세요. 이미 내려받은 부분은 그대로 남아 있습니다.</translation>
    </message>
    <message>
        <source>{file} from {repo} is corrupt (checksum mismatch); run the download again. If it fails the same way, the copy on the hub or a proxy in between is damaged.</source>
        <translation>{repo}에서 받은 {file}이(가) 손상되었습니다(체크섬 불일치). 다시 내려받으세요. 같은 식으로 또 실패하면 허브에 있는 사본이나 중간의 프록시에 문제가 있는 것입니다.</translation>
    </message>
    <message>
        <source>{file} from {repo} is corrupt ({size} bytes instead of {expected}); run the download again. If it fails the same way, the copy on the hub or a proxy in between is damaged.</source>
        <translation>{repo}에서 받은 {file}이(가) 손상되었습니다({expected}바이트가 아니라 {size}바이트). 다시 내려받으세요. 같은 식으로 또 실패하면 허브에 있는 사본이나 중간의 프록시에 문제가 있는 것입니다.</translation>
    </message>
    <message>
        <source>The download of {repo} was cancelled. The {done} of {total} already downloaded are kept in {folder}; downloading it again resumes from there.</source>
        <translation>{repo} 내려받기를 취소했습니다. 이미 받은 {done}(전체 {total})은(는) {folder}에 남아 있어서, 다시 내려받으면 거기서부터 이어 받습니다.</translation>
    </message>
    <message>
        <source>The model hub ({endpoint}) cannot be reached (the connection broke while downloading {file}: {reason}). To go on without it, import a model folder you already have with {import_folder}, or use the embedded demo model ({demo}). The {done} already downloaded are kept: downloading it again resumes from there.</source>
        <translation>모델 허브({endpoint})에 연결할 수 없습니다({file}을(를) 내려받다가 연결이 끊김: {reason}). 허브 없이 계속하려면 이미 가진 모델 폴더를 {import_folder}(으)로 가져오거나, 내장 데모 모델({demo})을 쓰세요. 이미 받은 {done}은(는) 남아 있어서, 다시 내려받으면 거기서부터 이어 받습니다.</translation>
    </message>
    <message>
        <source>The model hub ({endpoint}) cannot be reached (the hub answered {status}). To go on without it, import a model folder you already have with {import_folder}, or use the embedded demo model ({demo}).</source>
        <translation>모델 허브({endpoint})에 연결할 수 없습니다(허브 응답: {status}). 허브 없이 계속하려면 이미 가진 모델 폴더를 {import_folder}(으)로 가져오거나, 내장 데모 모델({demo})을 쓰세요.</translation>
    </message>
    <message>
        <source>{repo} is gated: accept its conditions on {endpoint}/{repo} and log in with `hf auth login`, then download it again.</source>
        <translation>{repo}은(는) 접근 승인이 필요한 모델입니다. {endpoint}/{repo}에서 이용 조건에 동의하고 `hf auth login`으로 로그인한 뒤 다시 내려받으세요.</translation>
    </message>
    <message>
        <source>The model {repo} does not exist on {endpoint}, or it is private and needs a login. Check the id at {endpoint}/{repo}; for a private model log in with `hf auth login` first.</source>
        <translation>{endpoint}에 {repo} 모델이 없거나, 로그인해야 하는 비공개 모델입니다. {endpoint}/{repo}에서 ID를 확인하세요. 비공개 모델이라면 먼저 `hf auth login`으로 로그인하세요.</translation>
    </message>
    <message>
        <source>{repo} has no revision {revision} on {endpoint}. Check the revision.</source>
        <translation>{endpoint}의 {repo}에는 {revision} 리비전이 없습니다. 리비전을 확인하세요.</translation>
    </message>
    <message>
        <source>A file of {repo} is missing on {endpoint} ({url}); the repo changed. Download it again later.</source>
        <translation>{endpoint}에서 {repo}의 파일 하나가 없어졌습니다({url}). 저장소가 바뀌었습니다. 나중에 다시 내려받으세요.</translation>
    </message>
    <message>
        <source>{endpoint} refused access to {repo} (401). Log in with `hf auth login` and try again.</source>
        <translation>{endpoint}이(가) {repo}에 대한 접근을 거부했습니다(401). `hf auth login`으로 로그인한 뒤 다시 해 보세요.</translation>
    </message>
    <message>
        <source>The hub refused the download of {repo} ({reason}). Try again later.</source>
        <translation>허브가 {repo} 내려받기를 거부했습니다({reason}). 나중에 다시 해 보세요.</translation>
    </message>
    <message>
        <source>Unknown runtime {runtime}: choose one of {choices}.</source>
        <translation>알 수 없는 실행 방식 {runtime}: {choices} 중에서 고르세요.</translation>
    </message>
    <message>
        <source>{name} is not a GPT-2 model, so it has no optimized version: choose the PyTorch runtime.</source>
        <translation>{name}은(는) GPT-2 모델이 아니어서 최적화한 버전이 없습니다. PyTorch 실행 방식을 고르세요.</translation>
    </message>
    <message>
        <source>The optimized model of {name} cannot be used: {reason}. Run {command} to build it again, or choose the PyTorch runtime.</source>
        <translation>{name}의 최적화 모델을 쓸 수 없습니다: {reason}. {command}(으)로 다시 만들거나 PyTorch 실행 방식을 고르세요.</translation>
    </message>
    <message>
        <source>The optimized model of {name} is not used: {reason}. Writing uses PyTorch; run {command} to build it again.</source>
        <translation>{name}의 최적화 모델을 쓰지 않습니다: {reason}. 지금은 PyTorch로 씁니다. {command}(으)로 다시 만드세요.</translation>
    </message>
    <message>
        <source>The optimized model {file} cannot be loaded ({reason}). Run {command} to build it again.</source>
        <translation>최적화 모델 {file}을(를) 불러올 수 없습니다({reason}). {command}(으)로 다시 만드세요.</translation>
    </message>
    <message>
        <source>The weights in {file} cannot be loaded ({reason}); the file may be corrupt.</source>
        <translation>{file}의 가중치를 불러올 수 없습니다({reason}). 파일이 손상되었을 수 있습니다.</translation>
    </message>
    <message>
        <source>The model does not fit in {device} memory. Choose the CPU device.</source>
        <translation>모델이 {device} 메모리에 들어가지 않습니다. CPU 장치를 고르세요.</translation>
    </message>
    <message>
        <source>The tokenizer in {folder} has {tokens} tokens but the model&apos;s embedding has {rows} rows: they do not belong together. Put the model&apos;s own tokenizer files in the folder.</source>
        <translation>{folder}의 토크나이저에는 토큰이 {tokens}개 있는데 모델의 임베딩에는 행이 {rows}개 있습니다. 둘은 짝이 맞지 않습니다. 모델과 함께 나온 토크나이저 파일을 폴더에 넣으세요.</translation>
    </message>
    <message>
        <source>{name} must be a list of non-empty strings, not {value}.</source>
        <translation>{name}은(는) {value}이(가) 아니라 비어 있지 않은 문자열의 목록이어야 합니다.</translation>
    </message>
    <message>
        <source>{name} must be true or false, not {value}.</source>
        <translation>{name}은(는) {value}이(가) 아니라 참이나 거짓이어야 합니다.</translation>
    </message>
    <message>
        <source>{name} must be one of {choices}, not {value}.</source>
        <translation>{name}은(는) {choices} 중 하나여야 합니다. {value}은(는) 쓸 수 없습니다.</translation>
    </message>
    <message>
        <source>{name} must be a number between {low} and {high}, not {value}.</source>
        <translation>{name}은(는) {value}이(가) 아니라 {low}에서 {high} 사이의 수여야 합니다.</translation>
    </message>
    <message>
        <source>{name} must be a whole number between {low} and {high}, not {value}.</source>
        <translation>{name}은(는) {value}이(가) 아니라 {low}에서 {high} 사이의 정수여야 합니다.</translation>
    </message>
    <message>
        <source>{name} must be between {low} and {high}; {value} is out of range.</source>
        <translation>{name}은(는) {low}에서 {high} 사이여야 합니다. {value}은(는) 범위를 벗어납니다.</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>길이</translation>
    </message>
    <message>
        <source>How many tokens to write at most each time.</source>
        <translation>한 번에 쓸 토큰 수의 상한입니다.</translation>
    </message>
    <message>
        <source>Minimum length</source>
        <translation>최소 길이</translation>
    </message>
    <message>
        <source>Do not end the text before this many tokens (0: at least half the length).</source>
        <translation>이만큼의 토큰을 쓰기 전에는 글을 끝내지 않습니다(0이면 길이의 절반 이상).</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>온도</translation>
    </message>
    <message>
        <source>Higher is more surprising, lower more predictable.</source>
        <translation>높을수록 뜻밖의 글, 낮을수록 무난한 글이 나옵니다.</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Choose only among the k likeliest words (0: off).</source>
        <translation>가장 그럴듯한 k개 낱말 가운데서만 고릅니다 (0: 끔).</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Choose among the likeliest words that together cover this share of probability (1: off).</source>
        <translation>확률을 합쳐 이 비율이 될 때까지의 낱말 가운데서 고릅니다 (1: 끔).</translation>
    </message>
    <message>
        <source>Typical-p</source>
        <translation>Typical-p</translation>
    </message>
    <message>
        <source>Prefer words about as surprising as usual for the text (1: off).</source>
        <translation>글에 어울리는 만큼만 뜻밖인 낱말을 고릅니다 (1: 끔).</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>반복 억제</translation>
    </message>
    <message>
        <source>Make words already in the text less likely (1: off). KoGPT2 loops without it.</source>
        <translation>이미 나온 낱말을 덜 쓰게 합니다 (1: 끔). 없으면 KoGPT2가 같은 말을 되풀이합니다.</translation>
    </message>
    <message>
        <source>Penalty range</source>
        <translation>억제 범위</translation>
    </message>
    <message>
        <source>Penalise only the last N tokens of the text (0: the whole text).</source>
        <translation>마지막 N개 토큰에만 반복 억제를 적용합니다 (0: 글 전체).</translation>
    </message>
    <message>
        <source>Penalty slope</source>
        <translation>억제 기울기</translation>
    </message>
    <message>
        <source>Penalise recent words more than old ones (0: all alike).</source>
        <translation>최근 낱말을 오래된 낱말보다 더 억제합니다 (0: 모두 같게).</translation>
    </message>
    <message>
        <source>No-repeat n-gram</source>
        <translation>n-gram 반복 금지</translation>
    </message>
    <message>
        <source>Never repeat a run of this many tokens (0: off).</source>
        <translation>이만큼 이어진 토큰은 다시 쓰지 않습니다 (0: 끔).</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>The same seed and text give the same result. Without one, each run differs.</source>
        <translation>같은 시드와 글이면 같은 결과가 나옵니다. 시드가 없으면 매번 다르게 씁니다.</translation>
    </message>
    <message>
        <source>Candidates</source>
        <translation>후보 수</translation>
    </message>
    <message>
        <source>How many continuations to write at once, to pick from.</source>
        <translation>한 번에 몇 가지 이어 쓰기를 만들어 고를지 정합니다.</translation>
    </message>
    <message>
        <source>Stop at</source>
        <translation>멈출 글귀</translation>
    </message>
    <message>
        <source>Stop writing when one of these texts appears.</source>
        <translation>이 글귀 가운데 하나가 나오면 쓰기를 멈춥니다.</translation>
    </message>
    <message>
        <source>Greedy</source>
        <translation>탐욕적 선택</translation>
    </message>
    <message>
        <source>Always take the likeliest word (no sampling).</source>
        <translation>늘 가장 그럴듯한 낱말을 고릅니다 (샘플링 없음).</translation>
    </message>
    <message>
        <source>{minimum} ({min_new_tokens}) must not exceed {length} ({max_new_tokens}).</source>
        <translation>{minimum} 값({min_new_tokens})은 {length} 값({max_new_tokens})보다 클 수 없습니다.</translation>
    </message>
    <message>
        <source>Generation settings must be an object, not {type}.</source>
        <translation>생성 설정은 {type}이(가) 아니라 객체여야 합니다.</translation>
    </message>
    <message>
        <source>Unknown generation setting(s): {names}.</source>
        <translation>알 수 없는 생성 설정: {names}.</translation>
    </message>
    <message>
        <source>The model folder {folder} does not exist; check the path.</source>
        <translation>모델 폴더 {folder}이(가) 없습니다. 경로를 확인하세요.</translation>
    </message>
    <message>
        <source>{file} is corrupt (it is not a JSON object); copy it into {folder} again.</source>
        <translation>손상된 파일입니다(JSON 객체가 아님): {file}. 이 파일을 다시 복사해 넣으세요. 폴더: {folder}</translation>
    </message>
    <message>
        <source>{folder} cannot be read ({reason}); check the folder and its permissions.</source>
        <translation>폴더를 읽을 수 없습니다({reason}). 폴더와 권한을 확인하세요: {folder}</translation>
    </message>
    <message>
        <source>{file} is a link to {target}, outside the model folder. Storyteller reads only the files inside a model folder: put the real file in the folder in place of the link.</source>
        <translation>모델 폴더 바깥을 가리키는 링크입니다: {file} → {target}. 이야기꾼은 모델 폴더 안의 파일만 읽습니다. 링크 대신 실제 파일을 폴더에 넣으세요.</translation>
    </message>
    <message>
        <source>{file} is missing: a model folder needs config.json, model.safetensors and tokenizer.json (or vocab.json and merges.txt). Copy the model&apos;s config.json into the folder.</source>
        <translation>{file}이(가) 없습니다. 모델 폴더에는 config.json, model.safetensors, tokenizer.json(또는 vocab.json과 merges.txt)이 있어야 합니다. 모델의 config.json을 폴더에 복사하세요.</translation>
    </message>
    <message>
        <source>{file} describes a model of type {model_type}; Storyteller runs GPT-2-family models only (model_type {supported}). Choose a KoGPT2-style model.</source>
        <translation>{file}은(는) {model_type} 유형의 모델을 설명합니다. 이야기꾼은 GPT-2 계열 모델(model_type {supported})만 실행합니다. KoGPT2 같은 모델을 고르세요.</translation>
    </message>
    <message>
        <source>{file}: &quot;{width}&quot; ({value}) must be a multiple of &quot;{heads}&quot; ({count}).</source>
        <translation>{file}: &quot;{width}&quot; 값({value})은 &quot;{heads}&quot; 값({count})의 배수여야 합니다.</translation>
    </message>
    <message>
        <source>{file} is missing: the folder has no model weights ({safetensors} or {pickle}). Copy the model&apos;s weights into the folder.</source>
        <translation>{file}이(가) 없습니다. 폴더에 모델 가중치({safetensors} 또는 {pickle})가 없습니다. 모델의 가중치를 폴더에 복사하세요.</translation>
    </message>
    <message>
        <source>{folder} has only {weights} (pickled weights, which Storyteller does not load from a folder it has not imported). Import it once with {import_folder} to convert it to {safetensors}.</source>
        <translation>{folder}에는 {weights}만 있습니다(pickle 형식의 가중치로, 이야기꾼은 가져오지 않은 폴더에서는 이 형식을 불러오지 않습니다). {import_folder}(으)로 한 번 가져와서 {safetensors}(으)로 변환하세요.</translation>
    </message>
    <message>
        <source>{file} is missing or empty; copy the model&apos;s weights into {folder} again.</source>
        <translation>{file}이(가) 없거나 비어 있습니다. 모델의 가중치를 {folder}에 다시 복사하세요.</translation>
    </message>
    <message>
        <source>{file} does not fit the weights: they have a token embedding of {shape}, the config says {vocab_size} tokens of width {width}. Copy the model&apos;s own config.json into the folder.</source>
        <translation>설정 파일이 가중치와 맞지 않습니다: {file}. 가중치의 토큰 임베딩은 {shape}인데, 설정에는 토큰 {vocab_size}개, 너비 {width}라고 되어 있습니다. 모델과 함께 나온 config.json을 폴더에 넣으세요.</translation>
    </message>
    <message>
        <source>{file} does not fit the weights: they have {blocks} blocks, the config says {layers}. Copy the model&apos;s own config.json into the folder.</source>
        <translation>설정 파일이 가중치와 맞지 않습니다: {file}. 가중치의 블록은 {blocks}개인데, 설정에는 {layers}개라고 되어 있습니다. 모델과 함께 나온 config.json을 폴더에 넣으세요.</translation>
    </message>
    <message>
        <source>{file} is corrupt (it lists no weight files); copy it into {folder} again.</source>
        <translation>{file}이(가) 손상되었습니다(가중치 파일이 하나도 적혀 있지 않음). {folder}에 다시 복사하세요.</translation>
    </message>
    <message>
        <source>{file} names the weight file &quot;{shard}&quot;, which is not a file of the folder {folder}; copy the model&apos;s own index into the folder.</source>
        <translation>색인 파일 {file}에 적힌 가중치 파일 &quot;{shard}&quot; 항목이 폴더 안의 파일이 아닙니다. 모델과 함께 나온 색인 파일을 폴더에 넣으세요. 폴더: {folder}</translation>
    </message>
    <message>
        <source>{file} is missing; copy the model&apos;s weights into {folder} again.</source>
        <translation>{file}이(가) 없습니다. 모델의 가중치를 {folder}에 다시 복사하세요.</translation>
    </message>
    <message>
        <source>{file} is corrupt or incomplete ({reason}); download or copy the model again.</source>
        <translation>{file}이(가) 손상되었거나 덜 받아졌습니다({reason}). 모델을 다시 내려받거나 복사하세요.</translation>
    </message>
    <message>
        <source>{file} holds no tensors; download or copy the model again.</source>
        <translation>{file}에 텐서가 없습니다. 모델을 다시 내려받거나 복사하세요.</translation>
    </message>
    <message>
        <source>{file} is corrupt (it is not a tokenizers file); copy it into {folder} again.</source>
        <translation>{file}이(가) 손상되었습니다(tokenizers 파일이 아님). {folder}에 다시 복사하세요.</translation>
    </message>
    <message>
        <source>{file} is missing: the folder has no tokenizer (tokenizer.json, or vocab.json and merges.txt). Copy the model&apos;s tokenizer files into the folder.</source>
        <translation>{file}이(가) 없습니다. 폴더에 토크나이저(tokenizer.json, 또는 vocab.json과 merges.txt)가 없습니다. 모델의 토크나이저 파일을 폴더에 복사하세요.</translation>
    </message>
    <message>
        <source>{file} is missing; the tokenizer needs both vocab.json and merges.txt.</source>
        <translation>{file}이(가) 없습니다. 토크나이저에는 vocab.json과 merges.txt가 모두 있어야 합니다.</translation>
    </message>
    <message>
        <source>{file} is corrupt (not a vocabulary); copy it into {folder} again.</source>
        <translation>{file}이(가) 손상되었습니다(어휘 파일이 아님). {folder}에 다시 복사하세요.</translation>
    </message>
    <message>
        <source>{file} is corrupt ({reason}); copy or download the model again.</source>
        <translation>{file}이(가) 손상되었습니다({reason}). 모델을 다시 복사하거나 내려받으세요.</translation>
    </message>
    <message>
        <source>The weights in {folder} lack {count} of the model&apos;s tensors (such as {example}): they are not this model&apos;s weights, or not all of them. Copy the model&apos;s weights into the folder again.</source>
        <translation>가중치에 모델의 텐서 {count}개가 빠져 있습니다(예: {example}). 이 모델의 가중치가 아니거나 일부만 있습니다. 모델의 가중치를 폴더에 다시 복사하세요. 폴더: {folder}</translation>
    </message>
    <message>
        <source>Converting the weights in {folder} produced no single {safetensors}; the model is too large to convert.</source>
        <translation>{folder}의 가중치를 변환했지만 {safetensors} 파일 하나로 나오지 않았습니다. 변환하기에는 모델이 너무 큽니다.</translation>
    </message>
    <message>
        <source>The weights in {folder} cannot be loaded for conversion ({reason}); the files may be corrupt or belong to another kind of model.</source>
        <translation>변환하려고 {folder}의 가중치를 불러올 수 없습니다({reason}). 파일이 손상되었거나 다른 종류의 모델일 수 있습니다.</translation>
    </message>
    <message>
        <source>{file} holds more than tensors: it holds Python objects ({found}), and unpickling those could run code, so the safe loader refuses it. Storyteller does not load it: use the model&apos;s model.safetensors, or weights saved as tensors only.</source>
        <translation>텐서 말고도 파이썬 객체({found})가 들어 있는 파일입니다: {file}. 이런 객체는 불러올 때 코드를 실행할 수 있어 안전한 로더가 거부하므로, 이야기꾼은 이 파일을 불러오지 않습니다. 모델의 model.safetensors나 텐서만 저장한 가중치를 쓰세요.</translation>
    </message>
    <message>
        <source>{file} holds no tensors by name ({type}); it is not a model&apos;s weights.</source>
        <translation>이름 붙은 텐서가 없는 파일이라({type}) 모델의 가중치가 아닙니다: {file}</translation>
    </message>
    <message>
        <source>{file} is not a model&apos;s weights: its entry {key} holds {type}, not a tensor (a training checkpoint keeps the weights inside, with other state). Save the model&apos;s weights alone.</source>
        <translation>모델의 가중치 파일이 아닙니다: {file}. 항목 {key}에 텐서가 아닌 {type} 값이 들어 있습니다(학습 체크포인트는 가중치를 다른 상태와 함께 안쪽에 둡니다). 모델의 가중치만 따로 저장하세요.</translation>
    </message>
    <message>
        <source>{file} is not a PyTorch weights file ({reason}); download or copy the model again.</source>
        <translation>PyTorch 가중치 파일이 아닙니다({reason}): {file}. 모델을 다시 내려받거나 복사하세요.</translation>
    </message>
    <message>
        <source>{name} is not a valid model name: use letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, starting with a letter or digit (at most 100 characters).</source>
        <translation>{name}은(는) 올바른 모델 이름이 아닙니다. 영문자, 숫자, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;만 쓰고 영문자나 숫자로 시작하세요(100자 이하).</translation>
    </message>
    <message>
        <source>{folder} is not a folder. Give the folder that holds config.json and the weights.</source>
        <translation>{folder}은(는) 폴더가 아닙니다. config.json과 가중치가 든 폴더를 고르세요.</translation>
    </message>
    <message>
        <source>A model named {name} is already installed. Choose another name.</source>
        <translation>{name}(이)라는 모델이 이미 설치되어 있습니다. 다른 이름을 고르세요.</translation>
    </message>
    <message>
        <source>The demo model is built into Storyteller and cannot be removed.</source>
        <translation>데모 모델은 이야기꾼에 내장되어 있어 삭제할 수 없습니다.</translation>
    </message>
    <message>
        <source>Cannot remove {folder} ({reason}); close programs using it and try again.</source>
        <translation>{folder}을(를) 삭제할 수 없습니다({reason}). 이 폴더를 쓰는 프로그램을 닫고 다시 해 보세요.</translation>
    </message>
    <message>
        <source>{name} is already being downloaded by another Storyteller window or command. Wait until that download finishes (the model then appears in the list), or stop it and try again.</source>
        <translation>다른 이야기꾼 창이나 명령이 {name}을(를) 이미 내려받고 있습니다. 그 내려받기가 끝날 때까지 기다리거나(끝나면 모델이 목록에 나타납니다), 그것을 멈춘 뒤 다시 해 보세요.</translation>
    </message>
    <message>
        <source>Cannot write into the model store {folder} ({reason}); check its permissions.</source>
        <translation>모델 저장소 {folder}에 쓸 수 없습니다({reason}). 권한을 확인하세요.</translation>
    </message>
    <message>
        <source>Installing {name} into {folder} failed ({reason}). Check the free disk space and the folder&apos;s permissions, then try again.</source>
        <translation>{name}을(를) {folder}에 설치하지 못했습니다({reason}). 남은 디스크 공간과 폴더 권한을 확인한 뒤 다시 해 보세요.</translation>
    </message>
    <message>
        <source>No model named {name} is installed. Installed models: {installed}. Download it with {download}.</source>
        <translation>{name}(이)라는 모델은 설치되어 있지 않습니다. 설치된 모델: {installed}. {download}(으)로 내려받으세요.</translation>
    </message>
    <message>
        <source>No model named {name} is installed. No models are installed yet. Download it with {download}.</source>
        <translation>{name}(이)라는 모델은 설치되어 있지 않습니다. 아직 설치된 모델이 없습니다. {download}(으)로 내려받으세요.</translation>
    </message>
    <message>
        <source>No model named {name} is installed. Installed models: {installed}. Download KoGPT2 with {download}, import a model folder you already have with {import_folder}, or use the embedded demo model ({demo}).</source>
        <translation>{name}(이)라는 모델은 설치되어 있지 않습니다. 설치된 모델: {installed}. {download}(으)로 KoGPT2를 내려받거나, 이미 가진 모델 폴더를 {import_folder}(으)로 가져오거나, 내장 데모 모델({demo})을 쓰세요.</translation>
    </message>
    <message>
        <source>No model named {name} is installed. No models are installed yet. Download KoGPT2 with {download}, import a model folder you already have with {import_folder}, or use the embedded demo model ({demo}).</source>
        <translation>{name}(이)라는 모델은 설치되어 있지 않습니다. 아직 설치된 모델이 없습니다. {download}(으)로 KoGPT2를 내려받거나, 이미 가진 모델 폴더를 {import_folder}(으)로 가져오거나, 내장 데모 모델({demo})을 쓰세요.</translation>
    </message>
    <message>
        <source>No model is installed in {folder}. Download KoGPT2 with {download}, import a model folder you already have with {import_folder}, or use the embedded demo model ({demo}).</source>
        <translation>{folder}에 설치된 모델이 없습니다. {download}(으)로 KoGPT2를 내려받거나, 이미 가진 모델 폴더를 {import_folder}(으)로 가져오거나, 내장 데모 모델({demo})을 쓰세요.</translation>
    </message>
    <message>
        <source>{repo} has only pickled weights ({pickle}). Storyteller unpickles only the models it knows at a pinned revision, or a folder you import yourself: if you trust {repo}, run `hf download {repo} --local-dir DIR`, then import DIR with {import_folder}.</source>
        <translation>{repo}에는 pickle 형식의 가중치({pickle})만 있습니다. 이야기꾼은 리비전이 고정된 알려진 모델이나 직접 가져온 폴더의 pickle만 읽습니다. {repo}을(를) 믿는다면 `hf download {repo} --local-dir DIR`을 실행한 다음 {import_folder}(으)로 DIR을 가져오세요.</translation>
    </message>
    <message>
        <source>{name} is the name of the built-in demo model. Choose another name.</source>
        <translation>{name}은(는) 내장 데모 모델의 이름입니다. 다른 이름을 고르세요.</translation>
    </message>
    <message>
        <source>A model named {name} is already installed. Choose another name, or remove it first with {remove}.</source>
        <translation>{name}(이)라는 모델이 이미 설치되어 있습니다. 다른 이름을 고르거나, 먼저 {remove}(으)로 삭제하세요.</translation>
    </message>
    <message>
        <source>{folder} already exists but is not an installed model. Move it away or choose another name.</source>
        <translation>{folder}이(가) 이미 있지만 설치된 모델이 아닙니다. 다른 곳으로 옮기거나 다른 이름을 고르세요.</translation>
    </message>
    <message>
        <source>Not enough disk space in {folder}: the download needs about {needed} free but only {free} is. Free some space, or choose another models folder (`storyteller models --models-dir DIR`).</source>
        <translation>{folder}에 디스크 공간이 모자랍니다. 내려받으려면 여유 공간이 약 {needed} 필요한데 {free}밖에 없습니다. 공간을 비우거나 다른 모델 폴더를 고르세요(`storyteller models --models-dir DIR`).</translation>
    </message>
    <message>
        <source>The story could not be saved to {path}: {reason}.</source>
        <translation>이야기를 {path}에 저장할 수 없습니다: {reason}.</translation>
    </message>
    <message>
        <source>{name} is not UTF-8 text (invalid byte at position {position}).</source>
        <translation>{name}은(는) UTF-8 텍스트가 아닙니다(위치 {position}에 잘못된 바이트).</translation>
    </message>
    <message>
        <source>{name} is empty: it holds no story. Open another file, or a backup copy of this one.</source>
        <translation>{name} 파일이 비어 있어 이야기가 없습니다. 다른 파일이나 이 파일의 백업본을 여세요.</translation>
    </message>
    <message>
        <source>{name} is not valid JSON (line {line}, column {column}): the file ends too early, as if it was cut off while being written. Open a backup copy, or the recovery copy the app offers.</source>
        <translation>{name} 파일은 올바른 JSON이 아닙니다({line}번째 줄, {column}번째 칸): 저장하는 도중에 끊긴 것처럼 파일이 너무 일찍 끝납니다. 백업본이나 앱이 제안하는 복구본을 여세요.</translation>
    </message>
    <message>
        <source>{name} is not valid JSON (line {line}, column {column}: {reason}).</source>
        <translation>{name}은(는) 올바른 JSON이 아닙니다({line}번째 줄, {column}번째 칸: {reason}).</translation>
    </message>
    <message>
        <source>{name} is nested too deeply to be a story file.</source>
        <translation>{name}은(는) 너무 깊이 중첩되어 있어 이야기 파일일 수 없습니다.</translation>
    </message>
    <message>
        <source>{name} is not a Storyteller story (its &quot;format&quot; is not &quot;{format}&quot;).</source>
        <translation>{name}은(는) 이야기꾼 이야기가 아닙니다(&quot;format&quot;이 &quot;{format}&quot;이(가) 아님).</translation>
    </message>
    <message>
        <source>{name} has no valid &quot;version&quot; number.</source>
        <translation>{name}에 올바른 &quot;version&quot; 번호가 없습니다.</translation>
    </message>
    <message>
        <source>{name} was saved by a newer Storyteller (story format version {version}; this one reads up to {supported}). Update Storyteller to open it.</source>
        <translation>{name}은(는) 더 새로운 이야기꾼에서 저장되었습니다(이야기 형식 버전 {version}, 이 이야기꾼은 {supported}까지 읽음). 열려면 이야기꾼을 업데이트하세요.</translation>
    </message>
    <message>
        <source>{name} was saved by a newer Storyteller (it has settings this one does not know: {names}). Update Storyteller to open it.</source>
        <translation>더 새로운 이야기꾼에서 저장된 파일입니다. 이 이야기꾼이 모르는 설정이 들어 있습니다: {names}. 열려면 이야기꾼을 업데이트하세요. 파일: {name}</translation>
    </message>
    <message>
        <source>{name}: its generation settings are invalid: {error}</source>
        <translation>{name}: 생성 설정이 올바르지 않습니다: {error}</translation>
    </message>
    <message>
        <source>{name}: its steering settings are invalid: {error}</source>
        <translation>{name}: 조절 설정이 올바르지 않습니다: {error}</translation>
    </message>
    <message>
        <source>{path} is not a file (it is a folder, a device or a pipe); choose a file.</source>
        <translation>파일이 아닙니다(폴더, 장치 또는 파이프입니다). 파일을 고르세요: {path}</translation>
    </message>
    <message>
        <source>{path} is too large to read ({size} MB; at most {limit} MB).</source>
        <translation>파일이 너무 커서 읽을 수 없습니다({size} MB, 최대 {limit} MB): {path}</translation>
    </message>
    <message>
        <source>{name} is empty: there is nothing in it to read.</source>
        <translation>빈 파일이라 읽을 내용이 없습니다: {name}</translation>
    </message>
    <message>
        <source>{name} is not valid JSON (line {line}, column {column}): the file ends too early, as if it was cut off.</source>
        <translation>{name}: 올바른 JSON이 아닙니다({line}번째 줄, {column}번째 칸). 중간에 잘린 것처럼 파일이 너무 일찍 끝납니다.</translation>
    </message>
    <message>
        <source>{name} is not valid JSON: {value} is not a number JSON allows.</source>
        <translation>{name}: 올바른 JSON이 아닙니다. JSON에서 쓸 수 없는 숫자가 있습니다: {value}</translation>
    </message>
    <message>
        <source>{name} is nested too deeply to be read.</source>
        <translation>{name}: 너무 깊이 중첩되어 있어 읽을 수 없습니다.</translation>
    </message>
    <message>
        <source>{name}: a key in &quot;{field}&quot; is not valid Unicode text (it holds half of a surrogate pair).</source>
        <translation>{name}: &quot;{field}&quot; 안의 키가 올바른 유니코드 텍스트가 아닙니다(서로게이트 쌍의 절반만 들어 있습니다).</translation>
    </message>
    <message>
        <source>{name}: &quot;{field}&quot; is not valid Unicode text (it holds half of a surrogate pair).</source>
        <translation>{name}: &quot;{field}&quot; 값이 올바른 유니코드 텍스트가 아닙니다(서로게이트 쌍의 절반만 들어 있습니다).</translation>
    </message>
    <message>
        <source>{name}: &quot;{field}&quot; must be an object, not {type} {value}.</source>
        <translation>{name}: &quot;{field}&quot;은(는) {type} {value}이(가) 아니라 객체여야 합니다.</translation>
    </message>
    <message>
        <source>{name}: &quot;{field}&quot; must be a list, not {type} {value}.</source>
        <translation>{name}: &quot;{field}&quot;은(는) {type} {value}이(가) 아니라 목록이어야 합니다.</translation>
    </message>
    <message>
        <source>{name}: &quot;{field}&quot; must be text, not {type} {value}.</source>
        <translation>{name}: &quot;{field}&quot;은(는) {type} {value}이(가) 아니라 텍스트여야 합니다.</translation>
    </message>
    <message>
        <source>{name}: &quot;{field}&quot; must be true or false, not {type} {value}.</source>
        <translation>{name}: &quot;{field}&quot;은(는) {type} {value}이(가) 아니라 참이나 거짓이어야 합니다.</translation>
    </message>
    <message>
        <source>{name}: &quot;{field}&quot; must be a whole number from {low} to {high}, not {type} {value}.</source>
        <translation>{name}: &quot;{field}&quot;은(는) {type} {value}이(가) 아니라 {low}에서 {high}까지의 정수여야 합니다.</translation>
    </message>
    <message>
        <source>{name}: &quot;{field}&quot; must be one of {choices}, not {type} {value}.</source>
        <translation>{name}: &quot;{field}&quot;은(는) {type} {value}이(가) 아니라 {choices} 가운데 하나여야 합니다.</translation>
    </message>
    <message>
        <source>{name}: &quot;{field}.versions&quot; must hold at least one text.</source>
        <translation>{name}: &quot;{field}.versions&quot;에는 텍스트가 하나 이상 있어야 합니다.</translation>
    </message>
    <message>
        <source>{name}: &quot;{field}.version&quot; must be a version that is not chosen and has no other branch.</source>
        <translation>{name}: &quot;{field}.version&quot;은(는) 선택되지 않았고 다른 갈래가 없는 버전이어야 합니다.</translation>
    </message>
    <message>
        <source>{name}: &quot;backend.server&quot; must name a server.</source>
        <translation>{name}: &quot;backend.server&quot;에는 서버 이름이 있어야 합니다.</translation>
    </message>
    <message>
        <source>{folder} has no tokenizer: expected tokenizer.json (or vocab.json and merges.txt).</source>
        <translation>{folder}에 토크나이저가 없습니다. tokenizer.json(또는 vocab.json과 merges.txt)이 있어야 합니다.</translation>
    </message>
    <message>
        <source>The tokenizer in {folder} cannot be read ({reason}); the file may be corrupt.</source>
        <translation>{folder}의 토크나이저를 읽을 수 없습니다({reason}). 파일이 손상되었을 수 있습니다.</translation>
    </message>
    <message>
        <source>The folder {folder} has no .txt files to train on.</source>
        <translation>{folder} 폴더에 학습할 .txt 파일이 없습니다.</translation>
    </message>
    <message>
        <source>The dataset {path} does not exist.</source>
        <translation>학습할 글 {path}이(가) 없습니다.</translation>
    </message>
    <message>
        <source>{path} is not UTF-8 text (invalid byte at position {position}). Save it as UTF-8 (e.g. in a text editor&apos;s &apos;Save as&apos; dialog) and try again.</source>
        <translation>{path}은(는) UTF-8 텍스트가 아닙니다(위치 {position}에 잘못된 바이트). UTF-8로 저장한 뒤(예: 텍스트 편집기의 &apos;다른 이름으로 저장&apos; 창에서) 다시 해 보세요.</translation>
    </message>
    <message>
        <source>The dataset is empty: it has no text to train on.</source>
        <translation>학습할 글이 비어 있습니다. 학습에 쓸 텍스트가 하나도 없습니다.</translation>
    </message>
    <message>
        <source>The dataset is too small: {tokens} tokens, but training needs at least {needed} (two blocks of --block_size {block_size}). Add text or lower --block_size.</source>
        <translation>학습할 글이 너무 적습니다. {tokens} 토큰인데 학습에는 적어도 {needed} 토큰(--block_size {block_size} 블록 두 개)이 필요합니다. 글을 더 넣거나 --block_size를 낮추세요.</translation>
    </message>
    <message>
        <source>--eval_fraction must be at least 0 and below 1, not {value}.</source>
        <translation>--eval_fraction은 {value}이(가) 아니라 0 이상 1 미만이어야 합니다.</translation>
    </message>
    <message>
        <source>Training from scratch needs --tokenizer FOLDER (a folder with tokenizer.json).</source>
        <translation>처음부터 학습하려면 --tokenizer FOLDER(tokenizer.json이 든 폴더)가 필요합니다.</translation>
    </message>
    <message>
        <source>--block_size {block_size} exceeds --n_positions {n_positions}.</source>
        <translation>--block_size {block_size}이(가) --n_positions {n_positions}보다 큽니다.</translation>
    </message>
    <message>
        <source>--block_size {block_size} exceeds the model&apos;s context of {positions} tokens.</source>
        <translation>--block_size {block_size}이(가) 모델이 한 번에 읽을 수 있는 {positions} 토큰보다 큽니다.</translation>
    </message>
    <message>
        <source>Training stopped; continue it with --resume (checkpoints in {folder}).</source>
        <translation>학습을 멈췄습니다. --resume으로 이어서 할 수 있습니다(체크포인트 위치: {folder}).</translation>
    </message>
    <message>
        <source>Give --max_tokens or --max_steps, not both.</source>
        <translation>--max_tokens와 --max_steps 중 하나만 지정하세요.</translation>
    </message>
    <message>
        <source>A data mixture is read as a stream, without epochs: give a token budget with --max_tokens (or --max_steps).</source>
        <translation>데이터 혼합은 에포크 없이 스트림으로 읽습니다. --max_tokens로 토큰 예산을 지정하세요(또는 --max_steps).</translation>
    </message>
    <message>
        <source>{folder} already holds files. Use --resume to continue that training, --overwrite_output_dir to start over, or choose another --output_dir.</source>
        <translation>{folder}에 이미 파일이 있습니다. 그 학습을 이어 하려면 --resume을, 처음부터 다시 하려면 --overwrite_output_dir을 쓰거나, 다른 --output_dir을 고르세요.</translation>
    </message>
    <message>
        <source>There is nothing to resume: {folder} has no checkpoints yet.</source>
        <translation>이어서 할 학습이 없습니다. {folder}에 아직 체크포인트가 없습니다.</translation>
    </message>
    <message>
        <source>The training in {folder} was started for {started} steps, but these options make {steps}. Resume it with the options it was started with (the same --max_tokens or --max_steps, --per_device_train_batch_size, --gradient_accumulation_steps and --block_size), or start anew in another --output_dir.</source>
        <translation>{folder}의 학습은 {started}단계로 시작되었지만 지금 옵션으로는 {steps}단계가 됩니다. 시작할 때의 옵션(같은 --max_tokens 또는 --max_steps, --per_device_train_batch_size, --gradient_accumulation_steps, --block_size)으로 이어서 하거나, 다른 --output_dir에서 새로 시작하세요.</translation>
    </message>
    <message>
        <source>{length} must be below the model&apos;s context of {positions} tokens.</source>
        <translation>{length} 값은 모델의 문맥 길이인 {positions}토큰보다 작아야 합니다.</translation>
    </message>
    <message>
        <source>{device} ran out of memory. Choose the CPU device, or ask for fewer candidates or tokens.</source>
        <translation>{device}의 메모리가 부족합니다. CPU 장치를 고르거나 후보 수나 토큰 수를 줄이세요.</translation>
    </message>
    <message>
        <source>The model {model} has no mood head yet. Train one with the Train mood head button in the steering panel (a minute or two), or steer the mood with the vector method.</source>
        <translation>{model} 모델에는 아직 분위기 판별기가 없습니다. 조절 패널의 [분위기 판별기 학습] 버튼으로 학습하거나(1~2분), 분위기를 벡터 방식으로 조절하세요.</translation>
    </message>
    <message>
        <source>The model {model} has no mood head yet. Train one with `storyteller train-head --model {model}` (a minute or two), or steer the mood with the vector method.</source>
        <translation>{model} 모델에는 아직 분위기 판별기가 없습니다. `storyteller train-head --model {model}`로 학습하거나(1~2분), 분위기를 벡터 방식으로 조절하세요.</translation>
    </message>
    <message>
        <source>The mood head {path} belongs to another model (width {found}, not {width}). Train it again.</source>
        <translation>분위기 판별기 {path}은(는) 다른 모델의 것입니다(너비 {width}이(가) 아니라 {found}). 다시 학습하세요.</translation>
    </message>
    <message>
        <source>Training the mood head was cancelled.</source>
        <translation>분위기 판별기 학습을 취소했습니다.</translation>
    </message>
    <message>
        <source>Cannot read the reviews file {path}: {reason}</source>
        <translation>리뷰 파일 {path}을(를) 읽을 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>Line {line} of {path} is not `id&lt;TAB&gt;text&lt;TAB&gt;label` with label 0 or 1.</source>
        <translation>{path}의 {line}번째 줄이 레이블 0 또는 1을 가진 `id&lt;TAB&gt;text&lt;TAB&gt;label` 형식이 아닙니다.</translation>
    </message>
    <message>
        <source>{path} needs at least 20 reviews of both labels (0 and 1).</source>
        <translation>{path}에는 두 레이블(0과 1)의 리뷰가 합쳐 20개 이상 있어야 합니다.</translation>
    </message>
    <message>
        <source>steering.{name} must be a list of words, not {value}.</source>
        <translation>steering.{name}은(는) 낱말 목록이어야 합니다. {value}은(는) 쓸 수 없습니다.</translation>
    </message>
    <message>
        <source>Topics</source>
        <translation>주제</translation>
    </message>
    <message>
        <source>Steer toward these topic lists (see `storyteller topics`).</source>
        <translation>이 주제 목록 쪽으로 이끕니다 (`storyteller topics` 참고).</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>낱말</translation>
    </message>
    <message>
        <source>Steer toward these words of your own, e.g. names.</source>
        <translation>직접 고른 낱말(이름 등) 쪽으로 이끕니다.</translation>
    </message>
    <message>
        <source>Never write</source>
        <translation>쓰지 않을 낱말</translation>
    </message>
    <message>
        <source>Words and phrases never to write, however the model spells them; a Korean noun also with its particles, a verb or adjective (먹다) in every form.</source>
        <translation>모델이 어떤 토큰으로 쓰든 절대 쓰지 않을 낱말과 구절. 한국어 명사는 조사가 붙은 형태까지, 동사·형용사(먹다)는 모든 활용형까지 막습니다.</translation>
    </message>
    <message>
        <source>Phrase bias</source>
        <translation>구절 편향</translation>
    </message>
    <message>
        <source>Make a whole phrase likelier or rarer, as phrase=bias from -10 to 10, e.g. 푸른 바다=+2.</source>
        <translation>구절 전체가 나올 가능성을 높이거나 낮춥니다. 구절=편향(-10~10)으로 적습니다. 예: 푸른 바다=+2.</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>세기</translation>
    </message>
    <message>
        <source>How hard to push toward the topic (0: off).</source>
        <translation>주제 쪽으로 얼마나 세게 이끌지(0: 끔).</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>방식</translation>
    </message>
    <message>
        <source>Word bias makes the topic&apos;s words likelier at no cost. PPLM nudges the model&apos;s memory of the story toward the topic at every word: more natural, several times slower.</source>
        <translation>낱말 가중치는 추가 시간 없이 주제 낱말이 나올 확률을 높입니다. PPLM은 낱말마다 모델이 기억하는 이야기를 주제 쪽으로 살짝 움직입니다. 더 자연스럽지만 몇 배 느립니다.</translation>
    </message>
    <message>
        <source>Mood</source>
        <translation>분위기</translation>
    </message>
    <message>
        <source>Below 0 darker, above 0 brighter (0: off).</source>
        <translation>0보다 작으면 더 어둡게, 크면 더 밝게 씁니다 (0: 끔).</translation>
    </message>
    <message>
        <source>Mood method</source>
        <translation>분위기 방식</translation>
    </message>
    <message>
        <source>The mood vector costs nothing; the PPLM mood head is more precise and several times slower.</source>
        <translation>분위기 벡터는 추가 시간이 들지 않습니다. PPLM 분위기 판별기는 더 정교하지만 몇 배 느립니다.</translation>
    </message>
    <message>
        <source>PPLM time limit</source>
        <translation>PPLM 시간 제한</translation>
    </message>
    <message>
        <source>If PPLM would take longer than this many seconds, it switches to the fast method midway (0: no limit).</source>
        <translation>PPLM이 이 초보다 오래 걸릴 것 같으면 도중에 빠른 방식으로 바꿉니다 (0: 제한 없음).</translation>
    </message>
    <message>
        <source>{what} must be an object, not {type}.</source>
        <translation>{what}은(는) 객체여야 합니다. {type}은(는) 쓸 수 없습니다.</translation>
    </message>
    <message>
        <source>Unknown {what} setting(s): {names}.</source>
        <translation>알 수 없는 {what} 설정: {names}.</translation>
    </message>
    <message>
        <source>Cannot read the topic list {path}: {reason}</source>
        <translation>주제 목록 {path}을(를) 읽을 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>The topic list {path} has no words: write one word per line.</source>
        <translation>주제 목록 {path}에 낱말이 없습니다. 한 줄에 낱말 하나씩 쓰세요.</translation>
    </message>
    <message>
        <source>There is no topic list named {name}. Known lists: {known}. Add your own as a .txt file in {folder}.</source>
        <translation>{name}(이)라는 주제 목록이 없습니다. 있는 목록: {known}. 직접 만든 목록은 {folder}에 .txt 파일로 넣으세요.</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>순서</translation>
    </message>
    <message>
        <source>Entries are written lowest order first, the highest nearest the story; when the world info budget is spent, the lowest orders are left out first.</source>
        <translation>순서가 낮은 항목부터 쓰고, 가장 높은 항목이 이야기에 가장 가깝게 놓입니다. 세계 정보 한도를 다 쓰면 순서가 낮은 항목부터 빠집니다.</translation>
    </message>
    <message>
        <source>Depth (paragraphs)</source>
        <translation>깊이 (문단)</translation>
    </message>
    <message>
        <source>How many paragraphs before the end of the story the note is inserted (0: after the last one).</source>
        <translation>이야기 끝에서 몇 문단 앞에 노트를 넣을지 정합니다 (0: 마지막 문단 뒤).</translation>
    </message>
    <message>
        <source>Scan depth</source>
        <translation>찾는 범위</translation>
    </message>
    <message>
        <source>How many pieces at the end are searched for keys (0: all).</source>
        <translation>끝에서 몇 조각까지 키워드를 찾을지 정합니다 (0: 전체).</translation>
    </message>
    <message>
        <source>Recursion depth</source>
        <translation>연쇄 깊이</translation>
    </message>
    <message>
        <source>How many times the text of entries found may bring in further entries (0: only the story&apos;s text is searched).</source>
        <translation>찾은 항목의 내용이 다른 항목을 몇 단계까지 불러올 수 있는지 (0: 이야기 본문만 찾음).</translation>
    </message>
    <message>
        <source>World info budget</source>
        <translation>세계 정보 한도</translation>
    </message>
    <message>
        <source>The most tokens world info may take; entries beyond it are left out, lowest order first (0: no limit).</source>
        <translation>세계 정보가 차지할 수 있는 최대 토큰 수. 넘치는 항목은 순서가 낮은 것부터 빠집니다 (0: 제한 없음).</translation>
    </message>
    <message>
        <source>Turn length</source>
        <translation>턴 길이</translation>
    </message>
    <message>
        <source>How many tokens the model writes at most after each action in Play.</source>
        <translation>놀이에서 행동할 때마다 모델이 쓰는 최대 토큰 수.</translation>
    </message>
    <message>
        <source>Reply length</source>
        <translation>답장 길이</translation>
    </message>
    <message>
        <source>How many tokens the model writes at most for each reply in Chat.</source>
        <translation>대화에서 모델이 한 번 답할 때 쓰는 최대 토큰 수.</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>How many times to read through all the texts.</source>
        <translation>모든 글을 몇 번 되풀이해 읽으며 배울지 정합니다.</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>How far each step moves the model: higher learns faster and forgets more of what it knew.</source>
        <translation>한 걸음마다 모델을 얼마나 크게 바꿀지 정합니다. 높을수록 빨리 배우지만 원래 알던 것을 더 많이 잊습니다.</translation>
    </message>
    <message>
        <source>SK Telecom&apos;s Korean GPT-2 v2 (125M parameters, 40 GB of Korean text). Non-commercial use only.</source>
        <translation>SK텔레콤의 한국어 GPT-2 v2(매개변수 1억 2500만 개, 한국어 텍스트 40GB로 학습). 비상업적 용도로만 쓸 수 있습니다.</translation>
    </message>
    <message>
        <source>A speaker needs a name.</source>
        <translation>말하는 사람의 이름이 필요합니다.</translation>
    </message>
    <message>
        <source>A speaker&apos;s name cannot hold a colon or a line break: {name}</source>
        <translation>이름에는 쌍점(:)이나 줄바꿈을 넣을 수 없습니다: {name}</translation>
    </message>
    <message>
        <source>You and the model need different names, not both {name}.</source>
        <translation>나와 모델의 이름은 달라야 합니다. 둘 다 {name}일 수는 없습니다.</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>기본</translation>
    </message>
    <message>
        <source>Creative</source>
        <translation>창의적</translation>
    </message>
    <message>
        <source>Steady</source>
        <translation>안정적</translation>
    </message>
    <message>
        <source>“Models → Model manager… → Import folder…”</source>
        <translation>‘모델 → 모델 관리… → 폴더 가져오기…’</translation>
    </message>
    <message>
        <source>“Models → Model manager… → demo → Use selected model”</source>
        <translation>‘모델 → 모델 관리… → demo → 선택한 모델 쓰기’</translation>
    </message>
    <message>
        <source>“Models → Model manager… → Download KoGPT2…”</source>
        <translation>‘모델 → 모델 관리… → KoGPT2 내려받기…’</translation>
    </message>
    <message>
        <source>“Models → Model manager… → Remove”</source>
        <translation>‘모델 → 모델 관리… → 삭제’</translation>
    </message>
    <message>
        <source>“Models → Model manager… → Optimize”</source>
        <translation>‘모델 → 모델 관리… → 최적화’</translation>
    </message>
    <message>
        <source>The model {name} needs about {needed} of memory ({weights} for its weights, {cache} for its context), but only {available} is free. Close other programs, use its int8 version, which needs a quarter of the memory for its weights ({optimize}), or run it on a server.</source>
        <translation>{name} 모델을 불러오려면 메모리가 약 {needed} 필요하지만(가중치 {weights}, 문맥 {cache}) 지금 비어 있는 메모리는 {available}뿐입니다. 다른 프로그램을 닫거나, 가중치 메모리가 4분의 1로 줄어드는 int8 버전을 쓰거나({optimize}), 서버에서 실행하세요.</translation>
    </message>
    <message>
        <source>Automatic (fast int8 ONNX when the model is optimized, else PyTorch)</source>
        <translation>자동 (최적화한 모델이 있으면 빠른 int8 ONNX, 없으면 PyTorch)</translation>
    </message>
    <message>
        <source>PyTorch</source>
        <translation>PyTorch</translation>
    </message>
    <message>
        <source>ONNX Runtime (optimized int8)</source>
        <translation>ONNX Runtime (최적화한 int8)</translation>
    </message>
    <message>
        <source>Only GPT-2 models can be optimized; {folder} holds a {model_type} model. It runs on PyTorch.</source>
        <translation>GPT-2 모델만 최적화할 수 있습니다. {folder}에는 {model_type} 모델이 있으며, 이 모델은 PyTorch로 실행됩니다.</translation>
    </message>
    <message>
        <source>Optimizing was cancelled; nothing was kept.</source>
        <translation>최적화를 취소했습니다. 아무것도 남기지 않았습니다.</translation>
    </message>
    <message>
        <source>The optimized model of {folder} is not close enough to the original (perplexity change {change}, greedy tokens matching {match}), so it was not kept. Keep using PyTorch for this model.</source>
        <translation>{folder}의 최적화 모델이 원래 모델과 충분히 가깝지 않아(퍼플렉서티 변화 {change}, 탐욕 선택 토큰 일치 {match}) 남기지 않았습니다. 이 모델은 계속 PyTorch로 쓰세요.</translation>
    </message>
    <message>
        <source>the model has not been optimized</source>
        <translation>모델을 아직 최적화하지 않았습니다</translation>
    </message>
    <message>
        <source>its manifest {file} cannot be read ({error})</source>
        <translation>기록 파일 {file}을(를) 읽을 수 없습니다({error})</translation>
    </message>
    <message>
        <source>it was made by another version of Storyteller</source>
        <translation>다른 버전의 이야기꾼으로 만들었습니다</translation>
    </message>
    <message>
        <source>it was made with {package} {made_with}, and {installed} is installed</source>
        <translation>{package} {made_with}(으)로 만들었는데 지금 설치된 버전은 {installed}입니다</translation>
    </message>
    <message>
        <source>{file} is missing</source>
        <translation>{file}이(가) 없습니다</translation>
    </message>
    <message>
        <source>the model&apos;s weights changed since it was optimized</source>
        <translation>최적화한 뒤 모델 가중치가 바뀌었습니다</translation>
    </message>
    <message>
        <source>the model&apos;s config.json changed since it was optimized</source>
        <translation>최적화한 뒤 모델의 config.json이 바뀌었습니다</translation>
    </message>
    <message>
        <source>{file} is missing or incomplete</source>
        <translation>{file}이(가) 없거나 불완전합니다</translation>
    </message>
    <message>
        <source>it failed the quality check (perplexity change {change}, greedy match {match})</source>
        <translation>품질 검사를 통과하지 못했습니다(퍼플렉서티 변화 {change}, 탐욕 선택 일치 {match})</translation>
    </message>
    <message>
        <source>{folder} holds a {kind} model; only GPT-2 models (model_type gpt2, as KoGPT2) can be exported to GGUF here. For other models use llama.cpp&apos;s convert_hf_to_gguf.py.</source>
        <translation>{folder}에는 {kind} 모델이 들어 있습니다. 여기서는 GPT-2 모델(KoGPT2처럼 model_type이 gpt2인 모델)만 GGUF로 내보낼 수 있습니다. 다른 모델은 llama.cpp의 convert_hf_to_gguf.py를 쓰세요.</translation>
    </message>
    <message>
        <source>{file} has a tensor {tensor} that a GPT-2 does not have.</source>
        <translation>{file}에 GPT-2에는 없는 텐서 {tensor}이(가) 있습니다.</translation>
    </message>
    <message>
        <source>{file} cannot be written ({reason}).</source>
        <translation>{file}을(를) 쓸 수 없습니다({reason}).</translation>
    </message>
    <message>
        <source>The tokenizer of {folder} is not a SentencePiece-style one like KoGPT2&apos;s; export it with llama.cpp&apos;s convert_hf_to_gguf.py instead.</source>
        <translation>{folder}의 토크나이저는 KoGPT2와 같은 SentencePiece 방식이 아닙니다. 대신 llama.cpp의 convert_hf_to_gguf.py로 내보내세요.</translation>
    </message>
    <message>
        <source>The story is empty: write something before exporting it.</source>
        <translation>이야기가 비어 있습니다. 내용을 쓴 뒤에 내보내세요.</translation>
    </message>
    <message>
        <source>{path}: a manuscript is a .docx or .epub file; name the file with one of these endings.</source>
        <translation>{path}: 원고는 .docx 또는 .epub 파일입니다. 파일 이름을 둘 중 하나로 끝나게 지어 주세요.</translation>
    </message>
    <message>
        <source>The manuscript could not be written to {path}: {reason}.</source>
        <translation>원고를 {path}에 쓰지 못했습니다: {reason}.</translation>
    </message>
    <message>
        <source>Phrase bias &quot;{entry}&quot; must be a phrase, &apos;=&apos; and a number from {low} to {high}, e.g. 푸른 바다=+2.</source>
        <translation>구절 편향 &quot;{entry}&quot;은(는) 구절, &apos;=&apos;, {low}~{high} 사이의 숫자로 적어야 합니다. 예: 푸른 바다=+2.</translation>
    </message>
    <message>
        <source>{name} stopped writing: nothing came for {seconds} seconds.</source>
        <translation>{name} 서버에서 {seconds}초 동안 아무것도 오지 않아 기다리기를 그만두었습니다.</translation>
    </message>
    <message>
        <source>{problem} The text written so far is kept.</source>
        <translation>{problem} 그때까지 쓴 글은 남겨 두었습니다.</translation>
    </message>
    <message>
        <source>{length} must be below the server&apos;s context of {positions} tokens.</source>
        <translation>{length} 값은 서버의 문맥 길이인 {positions}토큰보다 작아야 합니다.</translation>
    </message>
    <message>
        <source>{name} sent an event Storyteller cannot read ({reason}).</source>
        <translation>{name} 서버에서 이야기꾼이 읽을 수 없는 응답을 보냈습니다({reason}).</translation>
    </message>
    <message>
        <source>{name} stopped with an error: {message}</source>
        <translation>{name}이(가) 오류로 멈췄습니다: {message}</translation>
    </message>
    <message>
        <source>The connection to {name} broke while it was writing ({reason}).</source>
        <translation>{name} 서버와의 연결이 쓰는 도중에 끊겼습니다({reason}).</translation>
    </message>
    <message>
        <source>This continuation needs the local model&apos;s insides; a server cannot run it.</source>
        <translation>이 이어쓰기에는 이 컴퓨터에 있는 모델의 내부가 필요해서 서버에서는 실행할 수 없습니다.</translation>
    </message>
    <message>
        <source>PPLM and the mood steering need the model&apos;s insides, which only the local model has. Turn them off (mood 0, method word bias) to write through {name}, or switch to the local model.</source>
        <translation>PPLM과 분위기 조절에는 모델의 내부가 필요한데, 그것은 이 컴퓨터에 있는 모델에만 있습니다. {name}(으)로 쓰려면 이 둘을 끄거나(분위기 0, 방식은 낱말 가중치) 이 컴퓨터의 모델로 바꾸세요.</translation>
    </message>
    <message>
        <source>{name} serves a model with another tokenizer, so word steering cannot name its tokens. Clear the steering words, bans and phrase bias, or use the local model.</source>
        <translation>{name} 서버의 모델은 다른 토크나이저를 써서 낱말 조절이 그 토큰을 가리킬 수 없습니다. 조절할 낱말과 금지어, 구절 편향을 비우거나 이 컴퓨터의 모델을 쓰세요.</translation>
    </message>
    <message>
        <source>{name} ({url}) did not answer in time. Check that the server is running and not overloaded.</source>
        <translation>{name}({url})이(가) 제시간에 응답하지 않았습니다. 서버가 실행 중인지, 너무 바쁘지 않은지 확인하세요.</translation>
    </message>
    <message>
        <source>The HTTPS certificate of {url} cannot be verified ({reason}). Use a certificate your system trusts, or connect through a trusted network to http://localhost.</source>
        <translation>{url}의 HTTPS 인증서를 확인할 수 없습니다({reason}). 시스템이 신뢰하는 인증서를 쓰거나, 신뢰할 수 있는 연결을 거쳐 http://localhost로 접속하세요.</translation>
    </message>
    <message>
        <source>Nothing answers at {url}: check the address and port, and that the server is running.</source>
        <translation>{url}에서 아무것도 응답하지 않습니다. 주소와 포트를 확인하고 서버가 실행 중인지 확인하세요.</translation>
    </message>
    <message>
        <source>{url} is not an http or https address.</source>
        <translation>{url}은(는) http나 https 주소가 아닙니다.</translation>
    </message>
    <message>
        <source>The connection to {name} ({url}) broke ({reason}). Check that the server is still running, then try again.</source>
        <translation>{name}({url})와의 연결이 끊어졌습니다({reason}). 서버가 아직 실행 중인지 확인한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>{name} refused the request (HTTP {status}): it needs a valid API key. Enter the server&apos;s key, or check that it has not changed.</source>
        <translation>{name}이(가) 요청을 거부했습니다(HTTP {status}). 올바른 API 키가 필요합니다. 서버의 키를 입력하거나 키가 바뀌지 않았는지 확인하세요.</translation>
    </message>
    <message>
        <source>{name} is still loading its model. Try again in a moment.</source>
        <translation>{name}이(가) 아직 모델을 불러오는 중입니다. 잠시 뒤에 다시 해 보세요.</translation>
    </message>
    <message>
        <source>{name} answered HTTP {status}: {message}</source>
        <translation>{name}의 응답: HTTP {status}: {message}</translation>
    </message>
    <message>
        <source>{name} sent a line longer than {size} MB, which no text server sends.</source>
        <translation>{name} 서버에서 {size}MB보다 긴 줄을 보냈습니다. 글을 쓰는 서버라면 보내지 않는 응답입니다.</translation>
    </message>
    <message>
        <source>{name} answered something that is not JSON. Check that it is a llama.cpp or OpenAI-compatible server.</source>
        <translation>{name} 서버의 응답이 JSON이 아닙니다. llama.cpp 서버나 OpenAI 호환 서버인지 확인하세요.</translation>
    </message>
    <message>
        <source>{name} ({url}) answered with a web page (HTML) instead of writing. Check that the address is the server&apos;s API, with its port.</source>
        <translation>{name}({url}) 서버가 글 대신 웹 페이지(HTML)를 보냈습니다. 주소가 포트까지 포함한 서버의 API 주소인지 확인하세요.</translation>
    </message>
    <message>
        <source>{name} has no model loaded. Load one on the server, then test again.</source>
        <translation>{name}에 불러온 모델이 없습니다. 서버에서 모델을 불러온 뒤 다시 시험해 보세요.</translation>
    </message>
    <message>
        <source>{name} does not serve the model {model}. It serves: {models}.</source>
        <translation>{name}은(는) {model} 모델을 제공하지 않습니다. 제공하는 모델: {models}.</translation>
    </message>
    <message>
        <source>{url} answers, but it is not a llama.cpp server (no /props). Check the address and port, or set the API type to auto.</source>
        <translation>{url}에서 응답은 오지만 llama.cpp 서버가 아닙니다(/props 없음). 주소와 포트를 확인하거나 API 종류를 자동으로 두세요.</translation>
    </message>
    <message>
        <source>{url} answers, but it is not an OpenAI-compatible server (no /v1/models). Check the address and port, or set the API type to auto.</source>
        <translation>{url}에서 응답은 오지만 OpenAI 호환 서버가 아닙니다(/v1/models 없음). 주소와 포트를 확인하거나 API 종류를 자동으로 두세요.</translation>
    </message>
    <message>
        <source>{url} answers, but it is not a llama.cpp or OpenAI-compatible server (no /props or /v1/models). Check the address and port.</source>
        <translation>{url}에서 응답은 오지만 llama.cpp 서버도 OpenAI 호환 서버도 아닙니다(/props도 /v1/models도 없음). 주소와 포트를 확인하세요.</translation>
    </message>
    <message>
        <source>The server&apos;s context holds {n_ctx} tokens, but the story needs {needed} (memory, notes and the length to write). Shorten the memory or the length, or start the server with a larger context (llama-server -c).</source>
        <translation>서버가 한 번에 읽을 수 있는 길이는 {n_ctx}토큰인데 이야기에는 {needed}토큰(메모리, 노트, 쓸 길이)이 필요합니다. 메모리나 길이를 줄이거나, 서버를 더 긴 문맥으로 시작하세요(llama-server -c).</translation>
    </message>
    <message>
        <source>{name} answered /tokenize with something that is not a list of token ids.</source>
        <translation>{name} 서버의 /tokenize 응답이 토큰 번호 목록이 아닙니다.</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>제한 시간</translation>
    </message>
    <message>
        <source>A server needs a name.</source>
        <translation>서버에는 이름이 있어야 합니다.</translation>
    </message>
    <message>
        <source>Unknown server API {api}: choose one of {choices}.</source>
        <translation>알 수 없는 서버 API {api}입니다. {choices} 가운데 하나를 고르세요.</translation>
    </message>
    <message>
        <source>{url} is not a server address: write it like http://localhost:8080 or https://my-server.example.</source>
        <translation>{url}은(는) 서버 주소가 아닙니다. http://localhost:8080 이나 https://my-server.example 처럼 쓰세요.</translation>
    </message>
    <message>
        <source>The server list {file} is damaged ({reason}). Fix or delete it, then add the servers again.</source>
        <translation>서버 목록 {file}이(가) 손상되었습니다({reason}). 고치거나 지운 뒤 서버를 다시 추가하세요.</translation>
    </message>
    <message>
        <source>There is no server named {name}. The servers are: {known}.</source>
        <translation>{name}(이)라는 서버가 없습니다. 있는 서버: {known}.</translation>
    </message>
    <message>
        <source>There is no server named {name}; no server has been added yet (storyteller servers add NAME URL).</source>
        <translation>{name}(이)라는 서버가 없습니다. 아직 추가한 서버가 없습니다(storyteller servers add NAME URL).</translation>
    </message>
    <message>
        <source>{url} is plain http on another machine: the API key would cross the network unencrypted. Use https, or allow sending it unencrypted to this server.</source>
        <translation>{url}은(는) 다른 컴퓨터의 암호화되지 않은 http 주소라서 API 키가 암호화 없이 네트워크를 지나가게 됩니다. https를 쓰거나, 이 서버에는 암호화 없이 보내도 된다고 허용하세요.</translation>
    </message>
    <message>
        <source>The API key cannot be kept safely: this computer has no usable keychain ({reason}). Install or unlock one (e.g. GNOME Keyring or KWallet), or give the key in the environment variable {variable} and save the server without a key. The key was not saved anywhere.</source>
        <translation>API 키를 안전하게 보관할 수 없습니다. 이 컴퓨터에 쓸 수 있는 키체인이 없습니다({reason}). 키체인(예: GNOME Keyring, KWallet)을 설치하거나 잠금을 풀거나, 키를 환경 변수 {variable}에 넣고 서버를 키 없이 저장하세요. 키는 어디에도 저장되지 않았습니다.</translation>
    </message>
    <message>
        <source>The key {key} has an unknown flag {flag}: only i (ignore case) is understood.</source>
        <translation>키워드 {key}에 알 수 없는 플래그({flag})가 있습니다: i(대소문자 무시)만 쓸 수 있습니다.</translation>
    </message>
    <message>
        <source>The key {key} is not a valid regular expression ({reason}). Fix the pattern, or write the key without the slashes to match it as text.</source>
        <translation>키워드 {key}: 올바른 정규식이 아닙니다({reason}). 패턴을 고치거나, 빗금 없이 써서 글자 그대로 찾게 하세요.</translation>
    </message>
    <message>
        <source>The data mixture {path} cannot be read: {error}</source>
        <translation>데이터 혼합 {path}을(를) 읽을 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>{path} is not a data mixture (a JSON file with &quot;format&quot;: &quot;{format}&quot;).</source>
        <translation>{path}은(는) 데이터 혼합이 아닙니다(&quot;format&quot;: &quot;{format}&quot;이 있는 JSON 파일이어야 합니다).</translation>
    </message>
    <message>
        <source>The data mixture {path} has version {version}; this Storyteller reads version {supported}.</source>
        <translation>데이터 혼합 {path}의 버전은 {version}입니다. 이 이야기꾼은 버전 {supported}을(를) 읽습니다.</translation>
    </message>
    <message>
        <source>Two sources in {path} are named {name}: give each its own name.</source>
        <translation>{path}에 이름이 {name}인 출처가 둘 있습니다. 출처마다 다른 이름을 붙이세요.</translation>
    </message>
    <message>
        <source>Source {name} in {path} has weight {weight}; give a number above 0 (at most 1000).</source>
        <translation>{path}의 소스 {name}의 가중치가 {weight}입니다. 0보다 큰 수(최대 1000)를 지정하세요.</translation>
    </message>
    <message>
        <source>Source {name} in {path}: the file {file} does not exist.</source>
        <translation>{path}의 소스 {name}: 파일 {file}이(가) 없습니다.</translation>
    </message>
    <message>
        <source>Source {name} in {path} names no &quot;train&quot; file.</source>
        <translation>{path}의 소스 {name}에 &quot;train&quot; 파일이 지정되지 않았습니다.</translation>
    </message>
    <message>
        <source>The data mixture {path} lists no sources.</source>
        <translation>데이터 혼합 {path}에 소스가 하나도 없습니다.</translation>
    </message>
    <message>
        <source>The data mixture {path} has no text to train on.</source>
        <translation>데이터 혼합 {path}에 학습할 텍스트가 없습니다.</translation>
    </message>
    <message>
        <source>“Steering → Topic → Method → Word bias (fast)”</source>
        <translation>‘조절 → 주제 → 방식 → 낱말 가중치 (빠름)’</translation>
    </message>
    <message>
        <source>“Steering → Mood → Method → Mood vector (fast)”</source>
        <translation>‘조절 → 분위기 → 방식 → 분위기 벡터 (빠름)’</translation>
    </message>
    <message>
        <source>PPLM steering broke the text: it is little but punctuation. {advice}</source>
        <translation>PPLM 조절이 글을 망가뜨렸습니다. 문장 부호밖에 남지 않았습니다. {advice}</translation>
    </message>
    <message>
        <source>PPLM steering broke the text: it repeats one fragment over and over. {advice}</source>
        <translation>PPLM 조절이 글을 망가뜨렸습니다. 같은 토막만 되풀이됩니다. {advice}</translation>
    </message>
    <message>
        <source>PPLM steering broke the text into single syllables that make no sentences. {advice}</source>
        <translation>PPLM 조절이 글을 문장이 되지 않는 한 음절짜리 조각으로 흩어 놓았습니다. {advice}</translation>
    </message>
    <message>
        <source>PPLM reached its time limit of {seconds} s at token {token} and wrote the rest with the word bias.</source>
        <translation>PPLM이 제한 시간 {seconds}초에 닿아, {token}번째 토큰부터는 낱말 가중치로 썼습니다.</translation>
    </message>
    <message>
        <source>PPLM reached its time limit of {seconds} s at token {token} and wrote the rest without steering.</source>
        <translation>PPLM이 제한 시간 {seconds}초에 닿아, {token}번째 토큰부터는 조절 없이 썼습니다.</translation>
    </message>
    <message>
        <source>This model is too small for PPLM: switch to the fast method with {fast}, or write with a full-size model such as KoGPT2 ({download}).</source>
        <translation>이 모델은 PPLM을 쓰기에 너무 작습니다. 빠른 방식으로 바꾸거나({fast}) KoGPT2 같은 제 크기의 모델로 쓰세요({download}).</translation>
    </message>
    <message>
        <source>Try a lower strength, or the fast method with {fast}.</source>
        <translation>세기를 낮추거나 빠른 방식으로 바꿔 보세요({fast}).</translation>
    </message>
    <message>
        <source>{name} still answers, but wrote nothing within {seconds} seconds. Try again when it is less busy, or give it a longer timeout.</source>
        <translation>{name} 서버는 응답은 하지만 {seconds}초 안에 아무것도 쓰지 않았습니다. 서버가 덜 바쁠 때 다시 해 보거나, 제한 시간을 늘리세요.</translation>
    </message>
    <message>
        <source>{name} ({url}) took the request but no longer answers anything: not even its health check came back within {seconds} seconds. Check that the server is running and not stuck.</source>
        <translation>{name} 서버({url})가 요청을 받은 뒤로 아무 응답도 하지 않습니다. 상태 확인에도 {seconds}초 안에 답하지 않았습니다. 서버가 실행 중인지, 멈춰 있지 않은지 확인하세요.</translation>
    </message>
</context>
<context>
    <name>AdventurePlay</name>
    <message>
        <source>Play this story?</source>
        <translation>이 이야기로 놀까요?</translation>
    </message>
    <message>
        <source>Switch this story to adventure mode? Your actions will be added as &gt; lines.</source>
        <translation>이 이야기를 모험 모드로 바꿀까요? 내 행동은 &gt; 줄로 덧붙습니다.</translation>
    </message>
    <message>
        <source>Chat in this story?</source>
        <translation>이 이야기에서 대화할까요?</translation>
    </message>
    <message>
        <source>Switch this story to chat mode? Your messages will be added as lines that start with your name.</source>
        <translation>이 이야기를 대화 모드로 바꿀까요? 내 메시지는 내 이름으로 시작하는 줄로 추가됩니다.</translation>
    </message>
    <message>
        <source>The model is not ready yet: send your turn again in a moment.</source>
        <translation>모델이 아직 준비되지 않았습니다. 잠시 뒤에 다시 보내세요.</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>대화</translation>
    </message>
    <message>
        <source>Cannot use these names</source>
        <translation>이 이름을 쓸 수 없습니다</translation>
    </message>
</context>
<context>
    <name>Appearance</name>
    <message>
        <source>Bigger text</source>
        <translation>글자 크게</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>글자 작게</translation>
    </message>
    <message>
        <source>Reset text size</source>
        <translation>글자 크기 원래대로</translation>
    </message>
    <message>
        <source>System</source>
        <translation>시스템</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>밝게</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>어둡게</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>테마</translation>
    </message>
</context>
<context>
    <name>CandidatesDialog</name>
    <message>
        <source>Choose a continuation</source>
        <translation>이어질 글 고르기</translation>
    </message>
    <message>
        <source>Use %1</source>
        <translation>%1번 사용</translation>
    </message>
    <message>
        <source>The others are kept as versions: browse them with ◀ ▶ below the story.</source>
        <translation>나머지는 버전으로 남습니다. 이야기 아래의 ◀ ▶로 넘겨 보세요.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Each turn starts with the speaker&apos;s name and a colon.</source>
        <translation>각 줄은 말하는 사람의 이름과 쌍점(:)으로 시작합니다.</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>새 대화</translation>
    </message>
    <message>
        <source>You</source>
        <translation>나</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Your message, e.g. 오늘 하루는 어땠어?</source>
        <translation>메시지, 예: 오늘 하루는 어땠어?</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <source>Compare versions</source>
        <translation>버전 비교</translation>
    </message>
    <message>
        <source>Red, struck out: only with the first version (%1). Green, underlined: only with the second (%2).</source>
        <translation>빨간 취소선: 첫 번째 버전(%1)에만 있는 글. 초록 밑줄: 두 번째 버전(%2)에만 있는 글.</translation>
    </message>
</context>
<context>
    <name>ContextBar</name>
    <message>
        <source>memory</source>
        <translation>메모리</translation>
    </message>
    <message>
        <source>world info</source>
        <translation>세계 정보</translation>
    </message>
    <message>
        <source>story</source>
        <translation>이야기</translation>
    </message>
    <message>
        <source>author&apos;s note</source>
        <translation>작가 노트</translation>
    </message>
    <message>
        <source>free</source>
        <translation>남은 칸</translation>
    </message>
    <message>
        <source>Tokens the model reads (of %1): </source>
        <translation>모델이 읽는 토큰 (%1개 중): </translation>
    </message>
    <message>
        <source>Left out: the story&apos;s first %1 tokens.</source>
        <translation>이야기 앞부분 %1개 토큰은 빠졌습니다.</translation>
    </message>
    <message>
        <source>World info: %1 of %2 entries in.</source>
        <translation>세계 정보: 항목 %2개 중 %1개 들어감.</translation>
    </message>
    <message>
        <source>Click to see the exact text.</source>
        <translation>눌러서 실제로 보내는 글을 보세요.</translation>
    </message>
    <message>
        <source>No model yet</source>
        <translation>아직 모델이 없습니다</translation>
    </message>
    <message>
        <source>Text sent to the model</source>
        <translation>모델에 보내는 글</translation>
    </message>
    <message>
        <source>World info: why each entry is in the text or not</source>
        <translation>세계 정보: 각 항목이 들어가거나 빠진 이유</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>항목</translation>
    </message>
    <message>
        <source>In</source>
        <translation>포함</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>이유</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>토큰</translation>
    </message>
    <message>
        <source>Always on</source>
        <translation>항상 켜기</translation>
    </message>
    <message>
        <source>Key %1 is in the story</source>
        <translation>이야기에 키워드 %1 나옴</translation>
    </message>
    <message>
        <source>Key %1 is in the text of entries found before (depth %2)</source>
        <translation>먼저 찾은 항목의 내용에 키워드 %1 나옴 (깊이 %2)</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>사용 안 함</translation>
    </message>
    <message>
        <source>None of its keys is in the scanned text</source>
        <translation>찾는 범위에 키워드가 하나도 없음</translation>
    </message>
    <message>
        <source>Key %1 is there, but none of the keys it also needs</source>
        <translation>키워드 %1 나오지만 함께 필요한 키워드가 없음</translation>
    </message>
    <message>
        <source>Left out: %1 is there</source>
        <translation>빠짐: 제외 키워드 %1 나옴</translation>
    </message>
    <message>
        <source>Key %1 is only in entries found at depth %3, the recursion limit</source>
        <translation>연쇄 한도(깊이 %3)에서 찾은 항목에만 키워드 %1 나옴</translation>
    </message>
    <message>
        <source>Left out: over the world info budget</source>
        <translation>빠짐: 세계 정보 한도를 넘음</translation>
    </message>
    <message>
        <source>Matched, but it has no text</source>
        <translation>찾았지만 내용이 비어 있음</translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <source>Loading the model</source>
        <translation>모델 불러오기</translation>
    </message>
    <message>
        <source>Connecting to the server</source>
        <translation>서버 연결</translation>
    </message>
    <message>
        <source>No model is loaded yet.</source>
        <translation>아직 불러온 모델이 없습니다.</translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>글쓰기</translation>
    </message>
    <message>
        <source>The mood meter needs the local model; a server is writing.</source>
        <translation>분위기 측정기는 로컬 모델이 있어야 합니다. 지금은 서버가 쓰고 있습니다.</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find</source>
        <translation>찾기</translation>
    </message>
    <message>
        <source>Replace with</source>
        <translation>바꿀 말</translation>
    </message>
    <message>
        <source>Whole word</source>
        <translation>낱말 단위</translation>
    </message>
    <message>
        <source>Match the word alone or with particles attached (철수 finds 철수가, not 철수세미)</source>
        <translation>낱말만, 또는 조사가 붙은 낱말을 찾습니다 (철수는 철수가를 찾고 철수세미는 찾지 않습니다)</translation>
    </message>
    <message>
        <source>Match case</source>
        <translation>대소문자 구분</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>이전</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter, Shift+F3)</source>
        <translation>이전 찾은 곳 (Shift+Enter, Shift+F3)</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>다음</translation>
    </message>
    <message>
        <source>Next match (Enter, F3)</source>
        <translation>다음 찾은 곳 (Enter, F3)</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>바꾸기</translation>
    </message>
    <message>
        <source>Replace this match and find the next (Enter)</source>
        <translation>이곳을 바꾸고 다음을 찾습니다 (Enter)</translation>
    </message>
    <message>
        <source>Replace all</source>
        <translation>모두 바꾸기</translation>
    </message>
    <message>
        <source>Replace every match: one undo step</source>
        <translation>찾은 곳을 모두 바꿉니다: 한 번에 되돌릴 수 있습니다</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>닫기 (Esc)</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>찾지 못함</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%2개 중 %1번째</translation>
    </message>
    <message>
        <source>Matches: %1</source>
        <translation>%1개 찾음</translation>
    </message>
    <message>
        <source>Wait until the model has finished writing</source>
        <translation>모델이 다 쓸 때까지 기다려 주세요</translation>
    </message>
    <message>
        <source>replace</source>
        <translation>바꾸기</translation>
    </message>
    <message>
        <source>replace all</source>
        <translation>모두 바꾸기</translation>
    </message>
    <message>
        <source>Replaced: %1</source>
        <translation>%1곳을 바꿈</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts…</source>
        <translation>단축키(&amp;K)…</translation>
    </message>
    <message>
        <source>&amp;Introduction…</source>
        <translation>소개(&amp;I)…</translation>
    </message>
    <message>
        <source>Read &amp;me (README)</source>
        <translation>읽어 보기(&amp;M) (README)</translation>
    </message>
</context>
<context>
    <name>IntroDialog</name>
    <message>
        <source>Welcome to Storyteller</source>
        <translation>이야기꾼에 오신 것을 환영합니다</translation>
    </message>
    <message>
        <source>Open the example story</source>
        <translation>예제 이야기 열기</translation>
    </message>
    <message>
        <source>Start with an empty page</source>
        <translation>빈 페이지로 시작</translation>
    </message>
    <message>
        <source>The window speaks %1 because your system does.</source>
        <translation>화면 언어: %1 (시스템 언어를 따름).</translation>
    </message>
    <message>
        <source>The window speaks %1, as chosen in the settings.</source>
        <translation>화면 언어: %1 (설정에서 고름).</translation>
    </message>
    <message>
        <source>Welcome to Storyteller (이야기꾼)</source>
        <translation>이야기꾼(Storyteller)에 오신 것을 환영합니다</translation>
    </message>
    <message>
        <source>Write the beginning of a story; the model continues it. Keep what you like, change anything, or retry for another version.</source>
        <translation>이야기의 첫머리를 쓰면 모델이 뒤를 이어 씁니다. 마음에 드는 것은 남기고, 무엇이든 고치고, 다른 버전이 필요하면 다시 쓰게 하세요.</translation>
    </message>
    <message>
        <source>Model in use: &lt;b&gt;%1&lt;/b&gt;.</source>
        <translation>지금 쓰는 모델: &lt;b&gt;%1&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>The small built-in demo model writes rough Korean. For real stories, download KoGPT2 once: &lt;b&gt;Models → Model manager… → Download KoGPT2…&lt;/b&gt;.</source>
        <translation>작은 내장 데모 모델은 한국어가 서툽니다. 제대로 쓰려면 KoGPT2를 한 번 내려받으세요: &lt;b&gt;모델 → 모델 관리… → KoGPT2 내려받기…&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>Main keys:</source>
        <translation>주요 단축키:</translation>
    </message>
    <message>
        <source>Tab moves to the next control; Help → Keyboard shortcuts lists them all.</source>
        <translation>Tab 키는 다음 칸으로 옮겨 갑니다. 모든 단축키는 도움말 → 단축키에 있습니다.</translation>
    </message>
    <message>
        <source>Change it in &lt;b&gt;Settings → Language&lt;/b&gt; (after a restart).</source>
        <translation>&lt;b&gt;설정 → 언어&lt;/b&gt;에서 바꿀 수 있습니다 (다시 시작한 뒤 적용).</translation>
    </message>
    <message>
        <source>To see what it can do, open the example story “%1”.</source>
        <translation>무엇을 할 수 있는지 보려면 예제 이야기 “%1”을 열어 보세요.</translation>
    </message>
</context>
<context>
    <name>LossCurve</name>
    <message>
        <source>The loss curve appears here.</source>
        <translation>여기에 손실 곡선이 나타납니다.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Loading model…</source>
        <translation>모델 불러오는 중…</translation>
    </message>
    <message>
        <source>You are using the small built-in demo model: it writes rough Korean. Download KoGPT2 for real stories.</source>
        <translation>작은 내장 데모 모델을 쓰고 있습니다. 한국어가 서툽니다. 제대로 쓰려면 KoGPT2를 내려받으세요.</translation>
    </message>
    <message>
        <source>Download KoGPT2…</source>
        <translation>KoGPT2 내려받기…</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>고정</translation>
    </message>
    <message>
        <source>A pinned continuation is kept: Retry will not replace it.</source>
        <translation>고정한 이어 쓰기는 다시 쓰기로 바뀌지 않습니다.</translation>
    </message>
    <message>
        <source>Previous version of the last continuation</source>
        <translation>마지막 이어 쓰기의 이전 버전</translation>
    </message>
    <message>
        <source>Next version of the last continuation</source>
        <translation>마지막 이어 쓰기의 다음 버전</translation>
    </message>
    <message>
        <source>Last continuation:</source>
        <translation>마지막 이어 쓰기:</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>쓰기</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>놀이</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>대화</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>이어 쓰기</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>멈추기</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>다시 쓰기</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>되돌리기</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>다시 실행</translation>
    </message>
    <message>
        <source>Story</source>
        <translation>이야기</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>새 이야기(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>열기(&amp;O)…</translation>
    </message>
    <message>
        <source>New from scenario…</source>
        <translation>시나리오로 새로 시작…</translation>
    </message>
    <message>
        <source>Import scenario…</source>
        <translation>시나리오 가져오기…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>최근 파일(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>저장(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>다른 이름으로 저장(&amp;A)…</translation>
    </message>
    <message>
        <source>Save as scenario…</source>
        <translation>시나리오로 저장…</translation>
    </message>
    <message>
        <source>Export as text, Markdown, Word or EPUB…</source>
        <translation>텍스트·마크다운·워드·EPUB으로 내보내기…</translation>
    </message>
    <message>
        <source>Servers…</source>
        <translation>서버…</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>찾기(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Replace…</source>
        <translation>바꾸기(&amp;R)…</translation>
    </message>
    <message>
        <source>Find next</source>
        <translation>다음 찾기</translation>
    </message>
    <message>
        <source>Find previous</source>
        <translation>이전 찾기</translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation>이전 버전</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>다음 버전</translation>
    </message>
    <message>
        <source>Pin the last continuation</source>
        <translation>마지막 이어 쓰기 고정</translation>
    </message>
    <message>
        <source>Text sent to the model…</source>
        <translation>모델에 보낸 글…</translation>
    </message>
    <message>
        <source>Version tree</source>
        <translation>버전 나무</translation>
    </message>
    <message>
        <source>Show the version tree</source>
        <translation>버전 나무 보기</translation>
    </message>
    <message>
        <source>Reset layout</source>
        <translation>배치 초기화</translation>
    </message>
    <message>
        <source>Insert a tab character</source>
        <translation>탭 문자 넣기</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>샘플링</translation>
    </message>
    <message>
        <source>Steering</source>
        <translation>조절</translation>
    </message>
    <message>
        <source>Memory and world info</source>
        <translation>메모리와 세계 정보</translation>
    </message>
    <message>
        <source>Next words and context</source>
        <translation>다음 낱말과 문맥</translation>
    </message>
    <message>
        <source>Import text or KoboldAI story…</source>
        <translation>텍스트·KoboldAI 이야기 가져오기…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>생성(&amp;G)</translation>
    </message>
    <message>
        <source>Keep partial text when stopped</source>
        <translation>멈췄을 때 쓰던 글 남기기</translation>
    </message>
    <message>
        <source>&amp;Models</source>
        <translation>모델(&amp;M)</translation>
    </message>
    <message>
        <source>Model manager…</source>
        <translation>모델 관리…</translation>
    </message>
    <message>
        <source>Fine-tune on my texts…</source>
        <translation>내 글로 미세 조정…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>제목 없음</translation>
    </message>
    <message>
        <source>Storyteller</source>
        <translation>이야기꾼</translation>
    </message>
</context>
<context>
    <name>ModelManager</name>
    <message>
        <source>Models</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>출처</translation>
    </message>
    <message>
        <source>License</source>
        <translation>라이선스</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>GPU (CUDA)</source>
        <translation>GPU (CUDA)</translation>
    </message>
    <message>
        <source>GPU (Apple)</source>
        <translation>GPU (Apple)</translation>
    </message>
    <message>
        <source>Available here: %1</source>
        <translation>이 컴퓨터에서 쓸 수 있는 장치: %1</translation>
    </message>
    <message>
        <source>Use selected model</source>
        <translation>선택한 모델 쓰기</translation>
    </message>
    <message>
        <source>Download KoGPT2…</source>
        <translation>KoGPT2 내려받기…</translation>
    </message>
    <message>
        <source>Import folder…</source>
        <translation>폴더 가져오기…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Optimize</source>
        <translation>최적화</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>내려받기 취소</translation>
    </message>
    <message>
        <source>Models are kept in %1</source>
        <translation>모델 저장 위치: %1</translation>
    </message>
    <message>
        <source>Run on</source>
        <translation>실행 장치</translation>
    </message>
    <message>
        <source>Runtime</source>
        <translation>실행 방식</translation>
    </message>
    <message>
        <source>unknown — check the model page</source>
        <translation>알 수 없음 — 모델 페이지를 확인하세요</translation>
    </message>
    <message>
        <source>built-in demo</source>
        <translation>내장 데모</translation>
    </message>
    <message>
        <source>imported from %1</source>
        <translation>%1에서 가져옴</translation>
    </message>
    <message>
        <source>Hugging Face Hub: %1</source>
        <translation>Hugging Face 허브: %1</translation>
    </message>
    <message>
        <source>folder %1</source>
        <translation>폴더 %1</translation>
    </message>
    <message>
        <source>A small Korean demo model built into Storyteller, trained on KoCoNovel stories. Download KoGPT2 for real stories.</source>
        <translation>이야기꾼에 내장된 작은 한국어 데모 모델로, KoCoNovel 소설로 학습했습니다. 제대로 된 이야기를 쓰려면 KoGPT2를 내려받으세요.</translation>
    </message>
    <message>
        <source>The demo model is built into Storyteller and cannot be removed.</source>
        <translation>데모 모델은 이야기꾼에 내장되어 있어 삭제할 수 없습니다.</translation>
    </message>
    <message>
        <source>Optimize again</source>
        <translation>다시 최적화</translation>
    </message>
    <message>
        <source>Optimized: perplexity change %1 %, greedy tokens matching %2 %.</source>
        <translation>최적화됨: 퍼플렉서티 변화 %1 %, 탐욕 선택 토큰 일치 %2 %.</translation>
    </message>
    <message>
        <source>Make an int8 version of this model that writes 3-5 times faster on this computer&apos;s CPU (a few minutes, once).</source>
        <translation>이 컴퓨터의 CPU에서 3~5배 빠르게 쓰는 int8 버전을 만듭니다(한 번, 몇 분 걸림).</translation>
    </message>
    <message>
        <source>The optimized version cannot be used: %1. Optimize again to rebuild it.</source>
        <translation>최적화한 버전을 쓸 수 없습니다: %1. 다시 최적화해서 새로 만드세요.</translation>
    </message>
    <message>
        <source>Optimizing %1…</source>
        <translation>%1 최적화하는 중…</translation>
    </message>
    <message>
        <source>Cancel optimizing</source>
        <translation>최적화 취소</translation>
    </message>
    <message>
        <source>Optimizing</source>
        <translation>최적화</translation>
    </message>
    <message>
        <source>exporting to ONNX</source>
        <translation>ONNX로 내보내는 중</translation>
    </message>
    <message>
        <source>fusing the graph</source>
        <translation>그래프를 합치는 중</translation>
    </message>
    <message>
        <source>quantizing to int8</source>
        <translation>int8로 양자화하는 중</translation>
    </message>
    <message>
        <source>checking it against the original</source>
        <translation>원래 모델과 비교하는 중</translation>
    </message>
    <message>
        <source>saving</source>
        <translation>저장하는 중</translation>
    </message>
    <message>
        <source>done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Optimizing %1: %2…</source>
        <translation>%1 최적화: %2…</translation>
    </message>
    <message>
        <source>%1 is optimized: perplexity change %2 %, greedy tokens matching %3 %.</source>
        <translation>%1 최적화 완료: 퍼플렉서티 변화 %2 %, 탐욕 선택 토큰 일치 %3 %.</translation>
    </message>
    <message>
        <source>Optimizing was cancelled; nothing was kept.</source>
        <translation>최적화를 취소했습니다. 아무것도 남기지 않았습니다.</translation>
    </message>
    <message>
        <source>KoGPT2 (%1) by SK Telecom, about %2 MB.

License: %3 — you may use it for non-commercial purposes, must credit SK Telecom, and must share adaptations under the same license.

Download it now?</source>
        <translation>SK텔레콤의 KoGPT2 (%1), 약 %2 MB.

라이선스: %3 — 비영리 목적으로만 쓸 수 있고, SK텔레콤을 밝혀야 하며, 고친 것은 같은 라이선스로 공유해야 합니다.

지금 내려받을까요?</translation>
    </message>
    <message>
        <source>Download KoGPT2</source>
        <translation>KoGPT2 내려받기</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>연결하는 중…</translation>
    </message>
    <message>
        <source>The download</source>
        <translation>내려받기</translation>
    </message>
    <message>
        <source>Folder with config.json, weights and tokenizer</source>
        <translation>config.json, 가중치, 토크나이저가 든 폴더</translation>
    </message>
    <message>
        <source>Import model</source>
        <translation>모델 가져오기</translation>
    </message>
    <message>
        <source>Name in Storyteller:</source>
        <translation>이야기꾼에서 쓸 이름:</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>가져오는 중…</translation>
    </message>
    <message>
        <source>The import</source>
        <translation>가져오기</translation>
    </message>
    <message>
        <source>Remove model</source>
        <translation>모델 삭제</translation>
    </message>
    <message>
        <source>Remove %1 from this computer?</source>
        <translation>이 컴퓨터에서 %1을(를) 삭제할까요?</translation>
    </message>
    <message>
        <source>%1 is installed.</source>
        <translation>%1 설치를 마쳤습니다.</translation>
    </message>
    <message>
        <source>Optimize %1</source>
        <translation>%1 최적화</translation>
    </message>
    <message>
        <source>Make an int8 version of %1 now? It writes 3-5 times faster on this computer&apos;s CPU. It takes a few minutes, once; you can also do it later with Optimize.</source>
        <translation>지금 %1의 int8 버전을 만들까요? 이 컴퓨터의 CPU에서 3~5배 빠르게 씁니다. 한 번, 몇 분 걸리며, 나중에 ‘최적화’로 해도 됩니다.</translation>
    </message>
    <message>
        <source>Download paused. Start it again to resume where it stopped.</source>
        <translation>내려받기를 멈췄습니다. 다시 시작하면 멈춘 곳부터 이어 받습니다.</translation>
    </message>
</context>
<context>
    <name>ModelStatus</name>
    <message>
        <source>Write with</source>
        <translation>쓰는 모델</translation>
    </message>
    <message>
        <source>Switch</source>
        <translation>바꾸기</translation>
    </message>
    <message>
        <source>Write with the local model or a server</source>
        <translation>로컬 모델이나 서버로 쓰기</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>%1에 연결하는 중…</translation>
    </message>
    <message>
        <source>Loading model %1…</source>
        <translation>모델 %1 불러오는 중…</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(기본)</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>불러온 모델 없음</translation>
    </message>
    <message>
        <source>Could not connect to the server %1</source>
        <translation>서버 %1에 연결하지 못했습니다</translation>
    </message>
    <message>
        <source>The model could not be loaded</source>
        <translation>모델을 불러올 수 없습니다</translation>
    </message>
    <message>
        <source>OpenAI-compatible</source>
        <translation>OpenAI 호환</translation>
    </message>
    <message>
        <source>%1 · %2 at %3</source>
        <translation>%1 · %2 @ %3</translation>
    </message>
    <message>
        <source>(server&apos;s model)</source>
        <translation>(서버의 모델)</translation>
    </message>
    <message>
        <source>int8 ONNX</source>
        <translation>int8 ONNX</translation>
    </message>
    <message>
        <source>PyTorch</source>
        <translation>PyTorch</translation>
    </message>
    <message>
        <source>Model: %1 on %2 · %3</source>
        <translation>모델: %1 · %2 · %3</translation>
    </message>
    <message>
        <source>The server %1 ignores this setting.</source>
        <translation>서버 %1은(는) 이 설정을 쓰지 않습니다.</translation>
    </message>
    <message numerus="yes">
        <source>CPU (%n threads)</source>
        <translation>
            <numerusform>CPU(스레드 %n개)</numerusform>
        </translation>
    </message>
    <message>
        <source>Apple GPU (Metal)</source>
        <translation>Apple GPU(Metal)</translation>
    </message>
    <message>
        <source>GPU: %1</source>
        <translation>GPU: %1</translation>
    </message>
    <message>
        <source>Local model</source>
        <translation>로컬 모델</translation>
    </message>
    <message>
        <source>Server %1</source>
        <translation>서버 %1</translation>
    </message>
    <message>
        <source>Servers…</source>
        <translation>서버…</translation>
    </message>
    <message>
        <source>This story was written with the server %1, which is not set up here (Models → Servers…).</source>
        <translation>이 이야기는 서버 %1로 썼지만, 여기에는 그 서버가 설정되어 있지 않습니다 (모델 → 서버…).</translation>
    </message>
    <message>
        <source>Switch to the story&apos;s server?</source>
        <translation>이야기의 서버로 바꿀까요?</translation>
    </message>
    <message>
        <source>This story was written with the server %1. Continue it there?</source>
        <translation>이 이야기는 서버 %1로 썼습니다. 그 서버로 이어 쓸까요?</translation>
    </message>
</context>
<context>
    <name>MoodHeadTraining</name>
    <message>
        <source>Training the mood head</source>
        <translation>분위기 판별기 학습</translation>
    </message>
    <message>
        <source>Training the mood head was stopped.</source>
        <translation>분위기 판별기 학습을 멈췄습니다.</translation>
    </message>
    <message>
        <source>Loading the model for training…</source>
        <translation>학습할 모델을 불러오는 중…</translation>
    </message>
    <message>
        <source>Reading the reviews</source>
        <translation>리뷰 읽는 중</translation>
    </message>
    <message>
        <source>Training the head</source>
        <translation>판별기 학습 중</translation>
    </message>
    <message>
        <source>The mood head is ready (%1 right on reviews it did not learn from).</source>
        <translation>분위기 판별기가 준비되었습니다 (학습하지 않은 리뷰에서 %1 정답).</translation>
    </message>
</context>
<context>
    <name>NextWordsPanel</name>
    <message>
        <source>Next words:</source>
        <translation>다음 낱말:</translation>
    </message>
    <message>
        <source>Insert “%1” at the cursor</source>
        <translation>커서 자리에 “%1” 넣기</translation>
    </message>
</context>
<context>
    <name>NotesPanel</name>
    <message>
        <source>Always sent first: the setting, the characters, the style…</source>
        <translation>언제나 맨 앞에 보냅니다: 배경, 인물, 문체…</translation>
    </message>
    <message>
        <source>Memory is put before the story every time the model writes.</source>
        <translation>모델이 쓸 때마다 메모리를 이야기 앞에 붙입니다.</translation>
    </message>
    <message>
        <source>A hint for what comes next, e.g. 긴장감을 높일 것.</source>
        <translation>다음 전개에 대한 힌트. 예: 긴장감을 높일 것.</translation>
    </message>
    <message>
        <source>How the note is written into the text; {note} stands for it.</source>
        <translation>노트를 글에 넣는 형식입니다. {note} 자리에 노트가 들어갑니다.</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>메모리</translation>
    </message>
    <message>
        <source>Author&apos;s note</source>
        <translation>작가 노트</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>형식</translation>
    </message>
    <message>
        <source>World info</source>
        <translation>세계 정보</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>추가</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Keys, comma separated: 철수, 영수</source>
        <translation>키워드, 쉼표로 구분: 철수, 영수</translation>
    </message>
    <message>
        <source>A key written /like this/ is a regular expression (add i after the last slash to ignore case).</source>
        <translation>/이렇게/ 쓴 키워드는 정규식입니다 (마지막 빗금 뒤에 i를 붙이면 대소문자를 무시합니다).</translation>
    </message>
    <message>
        <source>Optional: one of these must appear too</source>
        <translation>선택: 이 가운데 하나도 함께 나와야 합니다</translation>
    </message>
    <message>
        <source>Optional: left out when one of these appears</source>
        <translation>선택: 이 중 하나라도 나오면 빠짐</translation>
    </message>
    <message>
        <source>Always on</source>
        <translation>항상 켜기</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>사용</translation>
    </message>
    <message>
        <source>Match keys as words (철수 finds 철수가, not 철수세미)</source>
        <translation>키워드를 낱말로 찾기 (철수는 철수가를 찾고 철수세미는 찾지 않음)</translation>
    </message>
    <message>
        <source>Off: a key matches anywhere in the text, even inside longer words.</source>
        <translation>끄면 키워드가 더 긴 낱말 속에 있어도 찾습니다.</translation>
    </message>
    <message>
        <source>Add entries the model mentions while it writes</source>
        <translation>모델이 쓰는 동안 언급한 항목도 더하기</translation>
    </message>
    <message>
        <source>off</source>
        <translation>끔</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>제한 없음</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>키워드</translation>
    </message>
    <message>
        <source>Also needs</source>
        <translation>함께 필요</translation>
    </message>
    <message>
        <source>Not if</source>
        <translation>제외 조건</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>내용</translation>
    </message>
    <message>
        <source>(new entry)</source>
        <translation>(새 항목)</translation>
    </message>
</context>
<context>
    <name>PlayView</name>
    <message>
        <source>New adventure</source>
        <translation>새 모험</translation>
    </message>
    <message>
        <source>Genre</source>
        <translation>장르</translation>
    </message>
    <message>
        <source>Do</source>
        <translation>행동</translation>
    </message>
    <message>
        <source>Say</source>
        <translation>말</translation>
    </message>
    <message>
        <source>Story</source>
        <translation>이야기</translation>
    </message>
    <message>
        <source>What do you do? e.g. 문을 연다</source>
        <translation>무엇을 할까요? 예: 문을 연다</translation>
    </message>
    <message>
        <source>Do: 문을 연다 → &gt; 나는 문을 연다.  Say: 누구세요? → &gt; &quot;누구세요?&quot;라고 말한다.  Story: narration added as is.</source>
        <translation>행동: 문을 연다 → &gt; 나는 문을 연다.  말: 누구세요? → &gt; &quot;누구세요?&quot;라고 말한다.  이야기: 서술을 그대로 덧붙입니다.</translation>
    </message>
    <message>
        <source>What do you say? e.g. 누구세요?</source>
        <translation>뭐라고 말할까요? 예: 누구세요?</translation>
    </message>
    <message>
        <source>What happens next? e.g. 갑자기 등불이 꺼졌다.</source>
        <translation>다음 일은? 예: 갑자기 등불이 꺼졌다.</translation>
    </message>
</context>
<context>
    <name>SamplingPanel</name>
    <message>
        <source>Ready-made settings; your own ones are saved too.</source>
        <translation>미리 만든 설정입니다. 직접 만든 설정도 저장됩니다.</translation>
    </message>
    <message>
        <source>Save as preset…</source>
        <translation>설정 저장…</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <source>Always take the likeliest word (no sampling)</source>
        <translation>늘 가장 그럴듯한 낱말 고르기 (샘플링 없음)</translation>
    </message>
    <message>
        <source>%1 (modified)</source>
        <translation>%1 (수정됨)</translation>
    </message>
    <message>
        <source>Custom settings</source>
        <translation>직접 설정</translation>
    </message>
    <message>
        <source>Save preset</source>
        <translation>설정 저장</translation>
    </message>
    <message>
        <source>Name of the preset:</source>
        <translation>설정 이름:</translation>
    </message>
</context>
<context>
    <name>SaveScenarioDialog</name>
    <message>
        <source>Save as scenario</source>
        <translation>시나리오로 저장</translation>
    </message>
    <message>
        <source>When a story starts from it, the app asks for: %1.</source>
        <translation>이 시나리오로 이야기를 시작하면 다음을 묻습니다: %1.</translation>
    </message>
    <message>
        <source>It has no placeholders.</source>
        <translation>빈칸이 없습니다.</translation>
    </message>
    <message>
        <source>Write %1 in the story, memory or world info (or %2) for what the app should ask when a story starts from the scenario.</source>
        <translation>이야기를 시작할 때 물어볼 내용은 본문, 메모리, 세계 정보에 %1(또는 %2) 형식으로 적으세요.</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>제목:</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>설명:</translation>
    </message>
    <message>
        <source>The story&apos;s text becomes the opening; memory, author&apos;s note, world info, mode and settings come along.</source>
        <translation>이야기 본문은 시작 글이 되고, 메모리·작가 노트·세계 정보·모드·설정도 함께 저장됩니다.</translation>
    </message>
</context>
<context>
    <name>ScenarioPicker</name>
    <message>
        <source>New from scenario</source>
        <translation>시나리오로 새로 시작</translation>
    </message>
    <message>
        <source>Fill in</source>
        <translation>빈칸 채우기</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>삭제…</translation>
    </message>
    <message>
        <source>Delete this scenario of yours (shipped ones stay)</source>
        <translation>내 시나리오를 삭제합니다(기본 제공 시나리오는 남습니다)</translation>
    </message>
    <message>
        <source>Some scenario files could not be read:</source>
        <translation>읽지 못한 시나리오 파일이 있습니다:</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>기본 제공</translation>
    </message>
    <message>
        <source>Yours</source>
        <translation>내 시나리오</translation>
    </message>
    <message>
        <source>story</source>
        <translation>이야기</translation>
    </message>
    <message>
        <source>adventure</source>
        <translation>모험</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>채팅</translation>
    </message>
    <message>
        <source>There are no scenarios yet.</source>
        <translation>아직 시나리오가 없습니다.</translation>
    </message>
    <message>
        <source>Delete the scenario?</source>
        <translation>시나리오를 삭제할까요?</translation>
    </message>
    <message>
        <source>Delete your scenario “%1”? Its file is removed: %2</source>
        <translation>내 시나리오 “%1”을(를) 삭제할까요? 파일이 지워집니다: %2</translation>
    </message>
    <message>
        <source>The scenario could not be deleted</source>
        <translation>시나리오를 삭제하지 못했습니다</translation>
    </message>
    <message>
        <source>world info entries: %1</source>
        <translation>세계 정보 항목: %1개</translation>
    </message>
    <message>
        <source>its own sampling settings</source>
        <translation>자체 샘플링 설정</translation>
    </message>
    <message>
        <source>Opening</source>
        <translation>시작 글</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>메모리</translation>
    </message>
    <message>
        <source>Author&apos;s note</source>
        <translation>작가 노트</translation>
    </message>
</context>
<context>
    <name>ServersDialog</name>
    <message>
        <source>Servers</source>
        <translation>서버</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>추가</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>e.g. GPU box</source>
        <translation>예: GPU 서버</translation>
    </message>
    <message>
        <source>The server&apos;s address, as its start-up message prints it.</source>
        <translation>서버가 시작할 때 알려 주는 주소입니다.</translation>
    </message>
    <message>
        <source>Detect automatically</source>
        <translation>자동으로 알아내기</translation>
    </message>
    <message>
        <source>llama.cpp server (native API)</source>
        <translation>llama.cpp 서버 (고유 API)</translation>
    </message>
    <message>
        <source>OpenAI-compatible (vLLM, KoboldCpp, LM Studio…)</source>
        <translation>OpenAI 호환 (vLLM, KoboldCpp, LM Studio…)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Kept in the system keychain, never in story or settings files.</source>
        <translation>시스템 키체인에만 보관하며, 이야기 파일이나 설정 파일에는 절대 쓰지 않습니다.</translation>
    </message>
    <message>
        <source>the server&apos;s own (Test connection lists them)</source>
        <translation>서버 기본값 (연결 시험으로 목록을 봅니다)</translation>
    </message>
    <message>
        <source> s</source>
        <translation>초</translation>
    </message>
    <message>
        <source>How long to wait for the server&apos;s first word, and for each next one, before giving up. A big model reading a long story may need a minute.</source>
        <translation>서버의 첫 단어와 그다음 단어를 각각 얼마나 기다린 뒤 포기할지 정합니다. 큰 모델이 긴 이야기를 읽을 때는 1분이 걸리기도 합니다.</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>연결 시험</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>저장</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>주소</translation>
    </message>
    <message>
        <source>API</source>
        <translation>API</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 키</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Switch to a story&apos;s server when it opens, without asking</source>
        <translation>이야기를 열면 묻지 않고 그 이야기의 서버로 바꾸기</translation>
    </message>
    <message>
        <source>Write with this server</source>
        <translation>이 서버로 쓰기</translation>
    </message>
    <message>
        <source>Remove server</source>
        <translation>서버 삭제</translation>
    </message>
    <message>
        <source>Remove the server %1 and its API key?</source>
        <translation>서버 %1과(와) 그 API 키를 삭제할까요?</translation>
    </message>
    <message>
        <source>The server could not be removed</source>
        <translation>서버를 삭제하지 못했습니다</translation>
    </message>
    <message>
        <source>Send the API key unencrypted?</source>
        <translation>API 키를 암호화 없이 보낼까요?</translation>
    </message>
    <message>
        <source>%1 is plain HTTP to another machine: anyone on the network between could read the API key. Send it anyway? (An https:// address avoids this.)</source>
        <translation>%1은(는) 다른 컴퓨터로 가는 암호화되지 않은 HTTP 주소입니다. 중간 네트워크의 누구나 API 키를 읽을 수 있습니다. 그래도 보낼까요? (https:// 주소를 쓰면 이 문제가 없습니다.)</translation>
    </message>
    <message>
        <source>Not sent: use an https:// address, or agree to send the key unencrypted.</source>
        <translation>보내지 않았습니다. https:// 주소를 쓰거나, 키를 암호화 없이 보내는 데 동의하세요.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>저장했습니다.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>%1에 연결하는 중…</translation>
    </message>
    <message>
        <source>The connection test</source>
        <translation>연결 시험</translation>
    </message>
    <message>
        <source>context %1 tokens</source>
        <translation>문맥 %1토큰</translation>
    </message>
    <message>
        <source>context size not told</source>
        <translation>문맥 크기를 알려 주지 않음</translation>
    </message>
    <message>
        <source>Connected: %1, %2, models served: %3.</source>
        <translation>연결됨: %1, %2, 제공하는 모델 %3개.</translation>
    </message>
    <message>
        <source>It ignores these settings: %1.</source>
        <translation>이 서버가 쓰지 않는 설정: %1.</translation>
    </message>
    <message>
        <source>Save the server?</source>
        <translation>서버를 저장할까요?</translation>
    </message>
    <message>
        <source>The server %1 has changes that are not saved. Save them before closing?</source>
        <translation>서버 ‘%1’에 저장하지 않은 변경 사항이 있습니다. 닫기 전에 저장할까요?</translation>
    </message>
</context>
<context>
    <name>SettingsMenu</name>
    <message>
        <source>&amp;Settings</source>
        <translation>설정(&amp;S)</translation>
    </message>
    <message>
        <source>Language (after restart)</source>
        <translation>언어 (다시 시작한 뒤)</translation>
    </message>
    <message>
        <source>System</source>
        <translation>시스템</translation>
    </message>
    <message>
        <source>The language changes when Storyteller restarts.</source>
        <translation>이야기꾼을 다시 시작하면 언어가 바뀝니다.</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>단축키</translation>
    </message>
    <message>
        <source>Story editor</source>
        <translation>이야기 편집기</translation>
    </message>
    <message>
        <source>Move the focus to the next or previous control</source>
        <translation>다음 칸이나 이전 칸으로 옮기기</translation>
    </message>
    <message>
        <source>Tab, Shift+Tab</source>
        <translation>Tab, Shift+Tab</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>메뉴</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>동작</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>단축키</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
</context>
<context>
    <name>SteeringPanel</name>
    <message>
        <source>Topic</source>
        <translation>주제</translation>
    </message>
    <message>
        <source>Tick the topics the continuation should lean toward.</source>
        <translation>이어 쓸 글이 기울어질 주제를 고르세요.</translation>
    </message>
    <message>
        <source>your own words, separated by commas</source>
        <translation>직접 넣을 낱말, 쉼표로 구분</translation>
    </message>
    <message>
        <source>Words to bring in, e.g. names. Particles are handled: 철수 also matches 철수가, 철수는.</source>
        <translation>글에 끌어들일 낱말(이름 등). 조사도 함께 다룹니다: ‘철수’를 넣으면 ‘철수가’, ‘철수는’도 포함됩니다.</translation>
    </message>
    <message>
        <source>Word bias (fast)</source>
        <translation>낱말 가중치 (빠름)</translation>
    </message>
    <message>
        <source>PPLM (precise, slower)</source>
        <translation>PPLM (정교함, 느림)</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>방식</translation>
    </message>
    <message>
        <source>words never to write, separated by commas</source>
        <translation>절대 쓰지 않을 낱말, 쉼표로 구분</translation>
    </message>
    <message>
        <source>Mood</source>
        <translation>분위기</translation>
    </message>
    <message>
        <source>darker</source>
        <translation>어둡게</translation>
    </message>
    <message>
        <source>brighter</source>
        <translation>밝게</translation>
    </message>
    <message>
        <source>Mood vector (fast)</source>
        <translation>분위기 벡터 (빠름)</translation>
    </message>
    <message>
        <source>PPLM mood head (precise, slower)</source>
        <translation>PPLM 분위기 판별기 (정교함, 느림)</translation>
    </message>
    <message>
        <source>Last continuation: %1</source>
        <translation>지난 이어쓰기: %1</translation>
    </message>
    <message>
        <source>PPLM: about %1× slower than plain writing; the estimate in seconds comes after the first plain continuation.</source>
        <translation>PPLM: 그냥 쓸 때보다 약 %1배 느립니다. 조절 없이 한 번 이어 쓰면 걸릴 시간을 초 단위로 알려 드립니다.</translation>
    </message>
    <message>
        <source>PPLM: about %1× slower, roughly %2 s for %3 new tokens.</source>
        <translation>PPLM: 약 %1배 느려서 새 토큰 %3개에 %2초쯤 걸립니다.</translation>
    </message>
    <message>
        <source>brightness %p%</source>
        <translation>밝기 %p%</translation>
    </message>
    <message>
        <source>How bright or dark the end of the story reads, by the model&apos;s mood head.</source>
        <translation>모델의 분위기 판별기로 본 이야기 끝부분의 밝고 어두운 정도입니다.</translation>
    </message>
    <message>
        <source>e.g. 푸른 바다=+2, 검은 그림자=-3</source>
        <translation>예: 푸른 바다=+2, 검은 그림자=-3</translation>
    </message>
    <message>
        <source>Story mood</source>
        <translation>이야기 분위기</translation>
    </message>
    <message>
        <source>Train mood head</source>
        <translation>분위기 판별기 학습</translation>
    </message>
    <message>
        <source>Teach the model&apos;s mood head on labelled movie reviews (a minute or two): the mood meter and the PPLM mood method need it.</source>
        <translation>라벨이 붙은 영화 리뷰로 모델의 분위기 판별기를 학습합니다(1~2분). 분위기 측정기와 PPLM 분위기 방식에 필요합니다.</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>비용</translation>
    </message>
    <message>
        <source> s</source>
        <translation>초</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>제한 없음</translation>
    </message>
    <message>
        <source>off</source>
        <translation>끔</translation>
    </message>
    <message>
        <source>Some topic lists cannot be used:</source>
        <translation>쓸 수 없는 주제 목록이 있습니다:</translation>
    </message>
    <message>
        <source>%1 is writing: topics, your words and banned words steer it as word bias. PPLM and the mood need the local model.</source>
        <translation>%1이(가) 쓰고 있습니다. 주제, 내 낱말, 쓰지 않을 낱말은 낱말 가중치로 조절됩니다. PPLM과 분위기는 로컬 모델이 있어야 합니다.</translation>
    </message>
    <message>
        <source>%1 serves a model with another tokenizer: no steering reaches it. Clear the steering to write there, or switch to the local model.</source>
        <translation>%1은(는) 토크나이저가 다른 모델을 제공하므로 조절이 전해지지 않습니다. 그 서버로 쓰려면 조절을 비우거나, 로컬 모델로 바꾸세요.</translation>
    </message>
    <message>
        <source>Continue will refuse until the steering fits: set the mood to 0 and the method to word bias, or switch to the local model (Models → Write with).</source>
        <translation>조절이 맞을 때까지 이어 쓰기가 거절됩니다. 분위기를 0으로, 방식을 낱말 가중치로 두거나, 로컬 모델로 바꾸세요 (모델 → 쓰는 모델).</translation>
    </message>
    <message>
        <source>Steering is off.</source>
        <translation>조절하지 않습니다.</translation>
    </message>
    <message>
        <source>Fast steering: no extra time.</source>
        <translation>빠른 조절: 추가 시간이 없습니다.</translation>
    </message>
    <message>
        <source>— not measured yet</source>
        <translation>— 아직 측정 전</translation>
    </message>
</context>
<context>
    <name>StoryDocument</name>
    <message>
        <source>edit</source>
        <translation>편집</translation>
    </message>
</context>
<context>
    <name>StoryFiles</name>
    <message>
        <source>Unsaved changes</source>
        <translation>저장하지 않은 변경</translation>
    </message>
    <message>
        <source>The story has unsaved changes. Save them first?</source>
        <translation>저장하지 않은 변경이 있습니다. 먼저 저장할까요?</translation>
    </message>
    <message>
        <source>Open story</source>
        <translation>이야기 열기</translation>
    </message>
    <message>
        <source>Stories (*.story.json)</source>
        <translation>이야기 (*.story.json)</translation>
    </message>
    <message>
        <source>The story could not be opened</source>
        <translation>이야기를 열 수 없습니다</translation>
    </message>
    <message>
        <source>The example story could not be opened</source>
        <translation>예제 이야기를 열 수 없습니다</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>가져오기</translation>
    </message>
    <message>
        <source>Text, Markdown or KoboldAI story (*.txt *.md *.json)</source>
        <translation>텍스트, 마크다운 또는 KoboldAI 이야기 (*.txt *.md *.json)</translation>
    </message>
    <message>
        <source>The file could not be imported</source>
        <translation>파일을 가져올 수 없습니다</translation>
    </message>
    <message>
        <source>Save story</source>
        <translation>이야기 저장</translation>
    </message>
    <message>
        <source>The story could not be saved</source>
        <translation>이야기를 저장할 수 없습니다</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>%1에 저장했습니다</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>Text (*.txt);;Markdown (*.md);;Word document (*.docx);;EPUB e-book (*.epub)</source>
        <translation>텍스트 (*.txt);;마크다운 (*.md);;워드 문서 (*.docx);;EPUB 전자책 (*.epub)</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>%1(으)로 내보내는 중…</translation>
    </message>
    <message>
        <source>The export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>%1(으)로 내보냈습니다</translation>
    </message>
    <message>
        <source>The story could not be exported</source>
        <translation>이야기를 내보낼 수 없습니다</translation>
    </message>
    <message>
        <source>The story could not be started</source>
        <translation>이야기를 시작하지 못했습니다</translation>
    </message>
    <message>
        <source>Replace the scenario?</source>
        <translation>시나리오를 바꿀까요?</translation>
    </message>
    <message>
        <source>You already have a scenario called “%1”. Replace it?</source>
        <translation>“%1” 시나리오가 이미 있습니다. 새것으로 바꿀까요?</translation>
    </message>
    <message>
        <source>The scenario could not be saved</source>
        <translation>시나리오를 저장하지 못했습니다</translation>
    </message>
    <message>
        <source>Saved the scenario to %1</source>
        <translation>시나리오를 %1에 저장했습니다</translation>
    </message>
    <message>
        <source>Import scenario</source>
        <translation>시나리오 가져오기</translation>
    </message>
    <message>
        <source>Scenarios (*.scenario.json *.scenario *.json)</source>
        <translation>시나리오 (*.scenario.json *.scenario *.json)</translation>
    </message>
    <message>
        <source>The scenario could not be imported</source>
        <translation>시나리오를 가져오지 못했습니다</translation>
    </message>
    <message>
        <source>Imported into your scenarios: %1</source>
        <translation>내 시나리오로 가져왔습니다: %1</translation>
    </message>
    <message>
        <source>story</source>
        <translation>이야기</translation>
    </message>
    <message>
        <source>Autosave failed (%1): save your story yourself.</source>
        <translation>자동 저장에 실패했습니다 (%1). 직접 저장하세요.</translation>
    </message>
    <message>
        <source>an untitled story</source>
        <translation>제목 없는 이야기</translation>
    </message>
    <message>
        <source>Recover unsaved work?</source>
        <translation>저장하지 않은 글을 되살릴까요?</translation>
    </message>
    <message>
        <source>Storyteller closed before “%1” was saved. Recover it?</source>
        <translation>“%1”을(를) 저장하기 전에 이야기꾼이 닫혔습니다. 되살릴까요?</translation>
    </message>
</context>
<context>
    <name>TitleField</name>
    <message>
        <source>Title</source>
        <translation>제목</translation>
    </message>
    <message>
        <source>The story&apos;s title: saved with it and shown in the window title</source>
        <translation>이야기 제목: 이야기와 함께 저장되고 창 제목에 보입니다</translation>
    </message>
</context>
<context>
    <name>TokenAlternatives</name>
    <message>
        <source>Colour by probability</source>
        <translation>확률별 색 표시</translation>
    </message>
    <message>
        <source>Tint each generated token by how likely the model found it: red under 10%, yellow under 50%, green above</source>
        <translation>모델이 쓴 토큰마다 그 확률에 따라 색을 칠합니다: 10% 미만은 빨강, 50% 미만은 노랑, 그 이상은 초록</translation>
    </message>
    <message>
        <source>The model is busy or not ready yet: try again in a moment.</source>
        <translation>모델이 작업 중이거나 아직 준비되지 않았습니다. 잠시 뒤에 다시 해 보세요.</translation>
    </message>
    <message>
        <source>Cannot continue</source>
        <translation>이어 쓸 수 없습니다</translation>
    </message>
    <message>
        <source>Writing from the chosen token…</source>
        <translation>고른 토큰부터 다시 쓰는 중…</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>멈췄습니다.</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>다 썼습니다.</translation>
    </message>
    <message>
        <source>The text before is kept as a version: browse it with ◀ ▶.</source>
        <translation>원래 글은 버전으로 남아 있습니다. ◀ ▶로 살펴보세요.</translation>
    </message>
</context>
<context>
    <name>TokenHits</name>
    <message>
        <source>Written: %1 (%2)</source>
        <translation>쓴 토큰: %1 (%2)</translation>
    </message>
    <message>
        <source>Instead of %1, write:</source>
        <translation>%1 대신 쓸 토큰:</translation>
    </message>
</context>
<context>
    <name>TrainDialog</name>
    <message>
        <source>Fine-tune a model on your texts</source>
        <translation>내 글로 모델 미세 조정</translation>
    </message>
    <message>
        <source>A .txt file, a folder of .txt files, or a .story.json</source>
        <translation>텍스트 파일, 텍스트 파일 폴더, 또는 .story.json</translation>
    </message>
    <message>
        <source>File…</source>
        <translation>파일…</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>폴더…</translation>
    </message>
    <message>
        <source>e.g. my-style</source>
        <translation>예: 내-문체</translation>
    </message>
    <message>
        <source>Texts</source>
        <translation>글</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>기반 모델</translation>
    </message>
    <message>
        <source>Name of the new model</source>
        <translation>새 모델 이름</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>삭제…</translation>
    </message>
    <message>
        <source>Delete the files of training runs that were stopped or failed</source>
        <translation>중단되었거나 실패한 학습이 남긴 파일을 삭제합니다</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>학습 시작</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>멈추기</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Texts to learn from</source>
        <translation>학습할 글</translation>
    </message>
    <message>
        <source>Texts (*.txt *.story.json)</source>
        <translation>글 (*.txt *.story.json)</translation>
    </message>
    <message>
        <source>Folder of .txt files</source>
        <translation>텍스트 파일 폴더</translation>
    </message>
    <message>
        <source>Choose the texts to learn from first.</source>
        <translation>먼저 학습할 글을 고르세요.</translation>
    </message>
    <message>
        <source>Preparing the texts…</source>
        <translation>글을 준비하는 중…</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>step %1 of %2</source>
        <translation>단계 %1/%2</translation>
    </message>
    <message>
        <source>loss %1</source>
        <translation>손실 %1</translation>
    </message>
    <message>
        <source>held-out perplexity %1</source>
        <translation>떼어 둔 글의 퍼플렉서티 %1</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>약 %1 남음</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1시간 %2분</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1분 %2초</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1초</translation>
    </message>
    <message>
        <source>%1 is ready.</source>
        <translation>%1 준비가 끝났습니다.</translation>
    </message>
    <message>
        <source>Perplexity on held-out text: %1 (lower is better).</source>
        <translation>학습에 쓰지 않고 떼어 둔 글의 퍼플렉서티: %1(낮을수록 좋음).</translation>
    </message>
    <message>
        <source>Switch to %1 now?</source>
        <translation>지금 %1(으)로 바꿀까요?</translation>
    </message>
    <message>
        <source>Training stopped.</source>
        <translation>학습을 멈췄습니다.</translation>
    </message>
    <message>
        <source>Stopped or failed training runs take %1 MB.</source>
        <translation>중단되었거나 실패한 학습이 %1 MB를 차지하고 있습니다.</translation>
    </message>
    <message>
        <source>No files are left from earlier training runs.</source>
        <translation>이전 학습에서 남은 파일이 없습니다.</translation>
    </message>
    <message>
        <source>Delete the files that stopped or failed training runs left in %1? Your models stay.</source>
        <translation>중단되었거나 실패한 학습이 %1에 남긴 파일을 삭제할까요? 모델은 그대로 남습니다.</translation>
    </message>
    <message>
        <source>Deleted %1 MB.</source>
        <translation>%1 MB를 삭제했습니다.</translation>
    </message>
</context>
<context>
    <name>TurnView</name>
    <message>
        <source> tokens</source>
        <translation> 토큰</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>보내기</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>멈추기</translation>
    </message>
</context>
<context>
    <name>VersionTreePanel</name>
    <message>
        <source>Writer</source>
        <translation>작가</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Player</source>
        <translation>플레이어</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>글</translation>
    </message>
    <message>
        <source>By</source>
        <translation>쓴 이</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>버전</translation>
    </message>
    <message>
        <source>Go to</source>
        <translation>이동</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>비교</translation>
    </message>
    <message>
        <source>Prune</source>
        <translation>가지치기</translation>
    </message>
    <message>
        <source>Enter: go to the selected version. Select two (Ctrl+click) to compare them. Delete prunes a version and what follows it.</source>
        <translation>Enter: 선택한 버전으로 이동. 두 개를 선택(Ctrl+클릭)하면 비교합니다. Delete는 버전과 그 뒤를 잘라 냅니다.</translation>
    </message>
    <message>
        <source>Go to this version</source>
        <translation>이 버전으로 이동</translation>
    </message>
    <message>
        <source>Compare the two selected versions</source>
        <translation>선택한 두 버전 비교</translation>
    </message>
    <message>
        <source>Prune this version and what follows it</source>
        <translation>이 버전과 그 뒤를 잘라 내기</translation>
    </message>
    <message>
        <source>pinned</source>
        <translation>고정</translation>
    </message>
    <message>
        <source>The story now goes through this version. Undo (Ctrl+Z) goes back.</source>
        <translation>이제 이야기가 이 버전을 지나갑니다. 되돌리기(Ctrl+Z)로 돌아갈 수 있습니다.</translation>
    </message>
    <message>
        <source>Pruned %1 versions. Undo (Ctrl+Z) brings them back.</source>
        <translation>버전 %1개를 잘라 냈습니다. 되돌리기(Ctrl+Z)로 되살릴 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>WordCountLabel</name>
    <message>
        <source>%1 words · %2 characters (%3 without spaces)</source>
        <translation>어절 %1 · 글자 %2 (공백 제외 %3)</translation>
    </message>
</context>
<context>
    <name>WritingSession</name>
    <message>
        <source>Stopping…</source>
        <translation>멈추는 중…</translation>
    </message>
    <message>
        <source>Cannot continue</source>
        <translation>이어 쓸 수 없습니다</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>쓰는 중…</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>멈췄습니다.</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>다 썼습니다.</translation>
    </message>
    <message>
        <source>The beginning of the story no longer fits the model&apos;s context.</source>
        <translation>이야기 앞부분은 이제 모델이 한 번에 읽을 수 있는 길이를 넘습니다.</translation>
    </message>
    <message>
        <source>World info joined while writing: %1</source>
        <translation>쓰는 동안 더한 세계 정보: %1</translation>
    </message>
    <message>
        <source>Generation failed</source>
        <translation>글을 쓰지 못했습니다</translation>
    </message>
    <message>
        <source>Steering: token %1 of at most %2, about %3 s left</source>
        <translation>조절 중: 최대 %2토큰 중 %1번째, 약 %3초 남음</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1에 실패했습니다: %2</translation>
    </message>
</context>
</TS>
