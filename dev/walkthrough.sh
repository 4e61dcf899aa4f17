#!/usr/bin/env bash
# The walkthrough of docs/api.md, "An online dossier from the portal's post to the returned
# e-result", run for real against a running `npm start`:
#
#   dev/walkthrough.sh [base URL]        (default http://127.0.0.1:3000)
#
# Run it from the checkout that runs `npm start`, with the same MOTCUA_DATA_DIR (the tokens and the
# competent body's signature come from that data folder's secrets and local PKI). It prints each
# step and its answer, and stops with a non-zero exit at the first unexpected status. Each run posts
# a new portal dossier (its id carries the time), so it can be run again on the same stack. Not part
# of `npm test`: it needs the whole stack running.
set -euo pipefail

A=${1:-http://127.0.0.1:3000}
A=${A%/}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/motcua-walkthrough.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

step=0
say() { step=$((step + 1)); printf '\n\033[1m%d. %s\033[0m\n' "$step" "$*"; }
fail() { printf '\033[31mFAILED:\033[0m %s\n' "$*" >&2; exit 1; }
# call <expected status> <curl arguments…>: prints the command's answer, fails on another status.
call() {
  local expected=$1
  shift
  local status
  status=$(curl -sS -o body -w '%{http_code}' -D headers "$@") || fail "curl $* did not complete"
  if [[ -n ${QUIET:-} ]]; then printf '(%s bytes)\n' "$(wc -c < body)"; elif [[ $(head -c 1 body) == '{' ]]; then jq -c . body; else printf '(%s bytes)\n' "$(wc -c < body)"; fi
  [[ $status == "$expected" ]] || fail "expected HTTP $expected, got $status from curl $*"
  echo "→ $status"
}
field() { jq -er "$1" body || fail "no $1 in the answer"; }
token() { (cd "$ROOT" && npm run -s token -- "$@"); }

say "the API answers ($A)"
call 200 "$A/health"

say "tokens: the portal, the centre's desk, the economic office's officer and head"
PORTAL=$(token --role portal --portal dvcqg --units 000.01.01.H99 --procedures 2.000720,1.001193)
DESK=$(token --role reception --agency 000.01.01.H99 --user letan.an --name "Lễ tân An")
OFFICER=$(token --role officer --agency 000.03.01.H99 --user chuyenvien.binh)
HEAD=$(token --role head --agency 000.03.01.H99 --user truongphong.cuong)
echo "minted 4 tokens"

say "two scanned papers and the office's decision, as PDFs"
(cd "$ROOT" && node --input-type=module -e "
  import { PDFDocument, StandardFonts } from 'pdf-lib';
  import { writeFileSync } from 'node:fs';
  for (const [file, text] of [['giay-de-nghi.pdf', 'Giay de nghi dang ky ho kinh doanh'], ['cccd.pdf', 'Can cuoc cong dan'], ['quyet-dinh.pdf', 'Quyet dinh 126/QD-UBND']]) {
    const pdf = await PDFDocument.create();
    pdf.addPage().drawText(text, { x: 50, y: 700, font: await pdf.embedFont(StandardFonts.Helvetica) });
    writeFileSync('$WORK/' + file, await pdf.save());
  }")
ls -l ./*.pdf

say "the portal posts the dossier, its files base64 in JSON (POST /intake/dossiers)"
PORTAL_ID="G22.99-$(date -u +%y%m%d)-$(date -u +%H%M%S)$RANDOM"
cat > submission.json <<JSON
{"portalDossierId": "$PORTAL_ID", "submittedAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
 "agencyCode": "000.01.01.H99", "procedureCode": "2.000720", "assuranceLevel": 2,
 "applicant": {"kind": "citizen", "fullName": "Nguyễn Văn An", "identityNumber": "001090012345", "phone": "0912345678"},
 "components": [
   {"componentId": "application", "files": [{"name": "giay-de-nghi.pdf", "contentBase64": "$(base64 -w0 giay-de-nghi.pdf)"}]},
   {"componentId": "owner-identity", "files": [{"name": "cccd.pdf", "contentBase64": "$(base64 -w0 cccd.pdf)"}]}]}
JSON
call 201 -XPOST "$A/intake/dossiers" -H "Authorization: Bearer $PORTAL" -H 'content-type: application/json' -d @submission.json
D=$(field .dossierCode)
SECRET=$(field .lookupSecret)
APPLICATION=$(field '.files[] | select(.componentId == "application") | .sha256')
IDENTITY=$(field '.files[] | select(.componentId == "owner-identity") | .sha256')
[[ $(field .status) == received ]] || fail "the dossier is not received"
[[ $APPLICATION == $(sha256sum giay-de-nghi.pdf | cut -d' ' -f1) ]] || fail "the answer's digest is not the file's"
cp body first-answer.json

say "the portal resends the same body: the same answer, replayed"
call 201 -XPOST "$A/intake/dossiers" -H "Authorization: Bearer $PORTAL" -H 'content-type: application/json' -d @submission.json
grep -qi '^idempotent-replayed: true' headers || fail "no idempotent-replayed header"
cmp -s body first-answer.json || fail "the replayed answer differs from the first"

say "another body under the same portal id: 409 PORTAL_SUBMISSION_CONFLICT"
sed 's/"assuranceLevel": 2/"assuranceLevel": 3/' submission.json > other.json
call 409 -XPOST "$A/intake/dossiers" -H "Authorization: Bearer $PORTAL" -H 'content-type: application/json' -d @other.json
[[ $(field .code) == PORTAL_SUBMISSION_CONFLICT ]] || fail "not PORTAL_SUBMISSION_CONFLICT"

say "larger files go as multipart: the same body without contentBase64, one part per file"
jq -c --arg id "$PORTAL_ID-M" '.portalDossierId = $id | .components |= map(.files |= map(del(.contentBase64)))' submission.json > multipart.json
call 201 -XPOST "$A/intake/dossiers" -H "Authorization: Bearer $PORTAL" -F "submission=<multipart.json" \
  -F 'file:application=@giay-de-nghi.pdf;type=application/pdf' -F 'file:owner-identity=@cccd.pdf;type=application/pdf'
[[ $(jq '.files | length' body) == 2 ]] || fail "expected 2 files"

say "the portal's token opens the intake only"
call 403 "$A/dossiers/$D" -H "Authorization: Bearer $PORTAL"

say "reception finds it on the centre's queue"
call 200 "$A/agencies/000.01.01.H99/queue?kind=check-dossier" -H "Authorization: Bearer $DESK"
jq -e --arg d "$D" '.items[] | select(.dossierCode == $d and .kind == "check-dossier")' body > /dev/null || fail "$D is not on the queue"

say "reception lists the dossier's files"
call 200 "$A/dossiers/$D/files" -H "Authorization: Bearer $DESK"
[[ $(jq '.items | length' body) == 2 ]] || fail "expected 2 files"

say "reception reads a file"
call 200 "$A/dossiers/$D/files/$APPLICATION" -H "Authorization: Bearer $DESK"
cmp -s body giay-de-nghi.pdf || fail "the downloaded file is not the one posted"
echo "the same bytes as posted"

say "reception approves each file as its component's digitised copy"
call 200 -XPOST "$A/dossiers/$D/components/application/files/$APPLICATION/approve" -H "Authorization: Bearer $DESK"
call 200 -XPOST "$A/dossiers/$D/components/owner-identity/files/$IDENTITY/approve" -H "Authorization: Bearer $DESK"

say "reception accepts the dossier (form 01); the receipt's secret is the one the portal passed on"
call 200 -XPOST "$A/dossiers/$D/accept" -H "Authorization: Bearer $DESK" -H 'content-type: application/json' \
  -d '{"components": [{"componentId": "application", "form": "original"}, {"componentId": "owner-identity", "form": "photocopy"}]}'
[[ $(field .status) == in-processing ]] || fail "not in processing"
[[ $(field .lookupSecret) == "$SECRET" ]] || fail "the receipt's secret is not the portal's"

say "the economic office finds its step on its queue"
call 200 "$A/agencies/000.03.01.H99/queue" -H "Authorization: Bearer $OFFICER"
STEP=$(jq -er --arg d "$D" '.items[] | select(.dossierCode == $d and .kind == "step") | .item | sub("^step:"; "") | sub("#[0-9]+$"; "")' body) || fail "no step of $D on the office's queue"
echo "step: $STEP"

say "the officer completes the step"
call 200 -XPOST "$A/dossiers/$D/complete-step" -H "Authorization: Bearer $OFFICER" -H 'content-type: application/json' \
  -d "{\"stepId\": \"$STEP\", \"outcome\": \"approved\", \"note\": \"Hồ sơ hợp lệ\"}"

say "the office signs its decision (local PKI: npm run pki:sign)"
(cd "$ROOT" && npm run -s pki:sign -- --agency 000.03.01.H99 "$WORK/quyet-dinh.pdf" "$WORK/result.pdf")

say "only a head issues the result: the officer gets 403"
call 403 -XPOST "$A/dossiers/$D/issue-result" -H "Authorization: Bearer $OFFICER" \
  -F 'file=@result.pdf;type=application/pdf' -F 'reference=126/QĐ-UBND'

say "the head issues the signed decision as the e-result"
call 200 -XPOST "$A/dossiers/$D/issue-result" -H "Authorization: Bearer $HEAD" \
  -F 'file=@result.pdf;type=application/pdf' -F 'reference=126/QĐ-UBND'
[[ $(field .status) == result-ready ]] || fail "not result-ready"

say "the centre returns it electronically"
call 200 -XPOST "$A/dossiers/$D/return-result" -H "Authorization: Bearer $DESK" -H 'content-type: application/json' \
  -d '{"method": "electronic", "applicantNotifiedInAdvance": true}'
[[ $(field .status) == returned ]] || fail "not returned"

say "the citizen looks the dossier up with the code and the secret"
call 200 "$A/lookup/$D?secret=$SECRET"
[[ $(field .status.code) == 10 ]] || fail "the lookup does not say returned"
[[ $(field .evaluation.state) == open ]] || fail "the lookup does not say the evaluation is open"

say "the citizen downloads the result: the PDF exactly as the office signed it"
call 200 "$A/lookup/$D/result?secret=$SECRET"
cmp -s body result.pdf || fail "the downloaded result is not the signed file"
echo "the same bytes as signed"

say "the citizen evaluates it: once, with the secret in the body (docs/citizens.md#evaluating-your-dossier)"
call 200 -XPOST "$A/lookup/$D/evaluation" -H 'content-type: application/json' \
  -d "{\"secret\": \"$SECRET\", \"rating\": \"very-satisfied\", \"comment\": \"Cán bộ hướng dẫn tận tình\"}"
[[ $(field .evaluation.source) == online ]] || fail "the evaluation is not the citizen's own"

say "anyone verifies it by its result code $D-KQ1"
call 200 "$A/verify/results/$D-KQ1"
[[ $(field .valid) == true && $(field .signedByAgency.agencyCode) == 000.03.01.H99 ]] || fail "the result does not verify as the office's"

say "the history"
QUIET=1 call 200 "$A/dossiers/$D/events?after=0" -H "Authorization: Bearer $DESK"
jq -r '.events[] | "\(.streamVersion) \(.type)"' body

printf '\n\033[32mthe walkthrough ran: %s, portal id %s\033[0m\n' "$D" "$PORTAL_ID"
