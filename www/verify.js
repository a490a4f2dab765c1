// The validator's view: open a DP summary (privaudit.dp-summary/1) someone gave you;
// the engine checks it (dp::verify, the same code as `privaudit verify`) and renders the
// verdict followed by the summary with its "what this reveals / does not reveal"
// sections, shown in a sandboxed iframe like every report. UI only.

const $ = (id) => document.getElementById(id);

export class VerifyView {
  /** ctx: {engine, show(view), onError(error), onBack()} */
  constructor(ctx) {
    this.ctx = ctx;
    $('verify-file').addEventListener('change', (e) => {
      const file = e.target.files && e.target.files[0];
      e.target.value = '';
      if (file) this.open(file);
    });
    $('verify-back').addEventListener('click', () => {
      $('verify-frame').removeAttribute('srcdoc');
      this.ctx.onBack();
    });
  }

  async open(file) {
    try {
      const result = await this.ctx.engine.verify(await file.text(), file.name);
      $('verify-verdict').textContent = result.headline;
      $('verify-verdict').className = result.consistent ? 'verify-consistent' : 'verify-inconsistent';
      $('verify-frame').srcdoc = result.html;
      this.ctx.show('verify');
      $('verify-heading').focus();
    } catch (error) {
      this.ctx.onError(error);
    }
  }
}
