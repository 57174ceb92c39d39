// Interface text in English and Chinese; elements with data-i18n are relabelled on a switch.
'use strict';
const I18N = {
  en: {
    studio: 'studio', model: 'Model', load: 'Load', input: 'Input text',
    'tab.architecture': 'Architecture', 'tab.tokens': 'Tokens', 'tab.attention': 'Attention',
    'tab.positions': 'Positions', 'tab.embeddings': 'Embeddings', 'tab.generation': 'Generation', 'tab.training': 'Training',
    tokens: 'tokens', context: 'context', params: 'parameters', layers: 'layers', heads: 'heads', width: 'width',
    noModel: 'No model loaded', welcome: 'Welcome to the gpt4j studio',
    welcomeText: 'The studio shows what a GPT computes, live, for any model gpt4j can load, including one you trained minutes ago.',
    'arch.flow': 'The path of a token', 'arch.block': 'Inside one decoder block', 'arch.tensors': 'Every weight tensor',
    'arch.repeat': 'repeated', 'arch.times': 'times', 'arch.perBlock': 'parameters per block', 'arch.total': 'total',
    'arch.shapesFor': 'Shapes for the current input: T =', 'arch.shapesFull': 'Shapes for a full context: T =',
    'arch.summary': '{0} positions · {1}-LN', 'arch.name': 'name', 'arch.shape': 'shape',
    'stage.tokens': 'token ids', 'stage.wte': 'token embedding', 'stage.wpe': '+ learned positions',
    'stage.sinusoid': '+ sinusoidal positions (fixed)', 'stage.blocks': '{0} × decoder block', 'stage.ln_f': 'final LayerNorm',
    'stage.unembed': 'unembedding (tied to wte)', 'stage.softmax': 'softmax: next-token probabilities',
    'stage.c_attn': 'Q, K, V = x W_qkv', 'stage.heads': 'split into heads', 'stage.scores': 'Q Kᵀ / √hs, causal mask, softmax',
    'stage.mix': 'attention × V, heads concatenated', 'stage.attn_proj': 'output projection', 'stage.residual_1': '+ residual',
    'stage.c_fc': 'MLP up-projection', 'stage.act': '{0}', 'stage.mlp_proj': 'MLP down-projection', 'stage.residual_2': '+ residual',
    'stage.ln_1': 'LayerNorm 1', 'stage.ln_2': 'LayerNorm 2',
    'tok.title': 'The text as the model reads it', 'tok.hover': 'Hover a token for its bytes.',
    'att.grid': 'Every layer and head (rows: layers, columns: heads). Click one.',
    'att.detail': 'Layer {0}, head {1}', 'att.steps': 'How one head computes it (first {0} tokens)',
    'att.scores': 'Q·Kᵀ', 'att.scaled': '÷ √hs', 'att.masked': 'causal mask', 'att.softmax': 'softmax',
    'att.truncated': 'Long input: the heatmap shows the first {0} of {1} tokens; thumbnails are pooled.',
    'att.hover': 'Hover a cell: query → key = probability', query: 'query', key: 'key',
    'pos.table': 'Positional encoding matrix', 'pos.similarity': 'Cosine similarity between positions',
    'pos.with': 'Attention with positions', 'pos.without': 'Position signal removed',
    'pos.none': 'This model has no position signal (position_encoding = none): both sides are the same.',
    'pos.change': 'Mean change of attention per layer when positions are removed', 'pos.loss': 'Next-token loss',
    'pos.tableNote': 'positions 0–{0} of {1}; channel stride {2} of {3} channels', layer: 'Layer', head: 'Head', mean: 'mean of heads',
    'emb.method': 'Projection', 'emb.layer': 'Vectors', 'emb.click': 'Click a point for its nearest neighbours.',
    'emb.nnInput': 'Nearest in this input (cosine)', 'emb.nnVocab': 'Nearest in the vocabulary (cosine)',
    'emb.explained': 'Explained variance', 'emb.truncated': 'The first {0} tokens are projected.',
    'gen.steps': 'Steps', 'gen.sample': 'Sample', 'gen.temperature': 'Temperature', 'gen.topk': 'Top-k', 'gen.topp': 'Top-p',
    'gen.seed': 'Seed', 'gen.run': 'Generate', 'gen.step': 'Step {0} of {1}', 'gen.prev': '◀', 'gen.next': '▶', 'gen.play': 'Play',
    'gen.candidates': 'Candidates: model probability, and after the processors', 'gen.chosen': 'chosen',
    'gen.lens': 'Logit lens: the top tokens read from each layer', 'gen.model': 'model', 'gen.final': 'after processing',
    'gen.removed': 'removed',
    'tr.run': 'Run directory', 'tr.refresh': 'Refresh', 'tr.curves': 'Loss', 'tr.samples': 'Samples',
    'tr.running': 'running: refreshing every 2 s', 'tr.finished': 'not running', 'tr.train': 'train (step)',
    'tr.evalTrain': 'train (eval)', 'tr.val': 'validation', 'tr.devAccuracy': 'dev accuracy (per epoch)', 'tr.step': 'step', 'tr.updated': 'updated',
    inputIds: 'Token ids', idsHint: 'This model has no tokenizer: type token ids (0–{0}) separated by commas, like 5,17,3.',
    overContext: 'longer than the context: the views refuse it',
    'welcome.step1': 'Make a model with random weights and GPT-2\'s tokenizer (a few seconds):',
    'welcome.cmd1': './gpt4j init --layers 4 --heads 4 --embd 128 --context 256 --out runs/demo',
    'welcome.step2': 'Or train one on your own text (a minute or two for this small one):',
    'welcome.cmd2': './gpt4j train --data data/tinyshakespeare/input.txt --preset micro --steps 400 --out runs/shakespeare',
    'welcome.step3': 'Reload this page (the newest model under runs/ opens), or type a model directory in the box above and press Load.',
    'welcome.where': 'Run the commands in {0}.',
    'tr.noHistory': 'This model has no training history', 'tr.noRun': 'No training run yet',
    'tr.loss': 'loss (cross-entropy, nats)', 'tr.accuracy': 'accuracy',
    'tr.reward': 'reward (mean score or return)', 'tr.nats': 'nats', 'tr.klRef': 'KL to the reference',
    'tr.approxKl': 'approx. KL (old to new policy)', 'tr.entropy': 'entropy',
    'tr.clipFraction': 'clip fraction', 'tr.score': 'score',
    'att.rowNorm': 'Scale each row to its maximum',
    'att.rowNormWhy': 'Shows where each query looks even when its probabilities are spread thin.',
    'att.stepsAxes': 'Rows: query position; columns: key position.',
    'axis.query': 'query (attending token)', 'axis.key': 'key (attended token)', 'axis.position': 'position', 'axis.channel': 'channel',
    'legend.prob': 'probability', 'legend.rowShare': 'share of row maximum', 'legend.score': 'score', 'legend.value': 'value',
    'legend.cosine': 'cosine',
    error: 'Error', loading: 'computing…'
  },
  zh: {
    studio: '工作室', model: '模型', load: '加载', input: '输入文本',
    'tab.architecture': '架构', 'tab.tokens': '词元', 'tab.attention': '注意力',
    'tab.positions': '位置编码', 'tab.embeddings': '嵌入', 'tab.generation': '生成', 'tab.training': '训练',
    tokens: '个词元', context: '上下文', params: '参数', layers: '层', heads: '头', width: '宽度',
    noModel: '尚未加载模型', welcome: '欢迎使用 gpt4j 工作室',
    welcomeText: '工作室实时展示 GPT 内部的计算过程，适用于 gpt4j 能加载的任何模型，包括你几分钟前刚训练好的模型。',
    'arch.flow': '一个词元的路径', 'arch.block': '一个解码器块的内部', 'arch.tensors': '全部权重张量',
    'arch.repeat': '重复', 'arch.times': '次', 'arch.perBlock': '每块参数', 'arch.total': '合计',
    'arch.shapesFor': '当前输入的形状：T =', 'arch.shapesFull': '完整上下文的形状：T =',
    'arch.summary': '位置编码 {0} · {1}-LN', 'arch.name': '名称', 'arch.shape': '形状',
    'stage.tokens': '词元 ID', 'stage.wte': '词元嵌入', 'stage.wpe': '+ 可学习的位置编码',
    'stage.sinusoid': '+ 正弦位置编码（固定）', 'stage.blocks': '{0} × 解码器块', 'stage.ln_f': '最终 LayerNorm',
    'stage.unembed': '反嵌入（与 wte 共享权重）', 'stage.softmax': 'softmax：下一个词元的概率',
    'stage.c_attn': 'Q, K, V = x W_qkv', 'stage.heads': '拆分为多个头', 'stage.scores': 'Q Kᵀ / √hs，因果掩码，softmax',
    'stage.mix': '注意力 × V，拼接各头', 'stage.attn_proj': '输出投影', 'stage.residual_1': '+ 残差',
    'stage.c_fc': 'MLP 升维投影', 'stage.act': '激活函数 {0}', 'stage.mlp_proj': 'MLP 降维投影', 'stage.residual_2': '+ 残差',
    'stage.ln_1': 'LayerNorm 1', 'stage.ln_2': 'LayerNorm 2',
    'tok.title': '模型读到的文本', 'tok.hover': '鼠标悬停可查看词元的字节。',
    'att.grid': '所有层和头（行：层，列：头）。点击查看详情。',
    'att.detail': '第 {0} 层，第 {1} 个头', 'att.steps': '一个头的计算步骤（前 {0} 个词元）',
    'att.scores': 'Q·Kᵀ', 'att.scaled': '÷ √hs', 'att.masked': '因果掩码', 'att.softmax': 'softmax',
    'att.truncated': '输入较长：热力图只显示前 {0} 个词元（共 {1} 个）；缩略图已池化。',
    'att.hover': '悬停单元格：查询 → 键 = 概率', query: '查询', key: '键',
    'pos.table': '位置编码矩阵', 'pos.similarity': '位置之间的余弦相似度',
    'pos.with': '有位置信息的注意力', 'pos.without': '去掉位置信息后',
    'pos.none': '该模型没有位置信息（position_encoding = none）：两侧相同。',
    'pos.change': '去掉位置信息后每层注意力的平均变化', 'pos.loss': '下一个词元的损失',
    'pos.tableNote': '位置 0–{0}（共 {1}），每 {2} 个通道取一个（共 {3}）', layer: '层', head: '头', mean: '所有头的平均',
    'emb.method': '投影方法', 'emb.layer': '向量', 'emb.click': '点击一个点查看最近邻。',
    'emb.nnInput': '本输入中的最近邻（余弦）', 'emb.nnVocab': '词表中的最近邻（余弦）',
    'emb.explained': '解释方差', 'emb.truncated': '只投影前 {0} 个词元。',
    'gen.steps': '步数', 'gen.sample': '采样', 'gen.temperature': '温度', 'gen.topk': 'Top-k', 'gen.topp': 'Top-p',
    'gen.seed': '随机种子', 'gen.run': '生成', 'gen.step': '第 {0} 步，共 {1} 步', 'gen.prev': '◀', 'gen.next': '▶', 'gen.play': '播放',
    'gen.candidates': '候选词元：模型概率与处理后的概率', 'gen.chosen': '选中',
    'gen.lens': 'Logit lens：从每一层读出的最可能词元', 'gen.model': '模型', 'gen.final': '处理后',
    'gen.removed': '已移除',
    'tr.run': '训练目录', 'tr.refresh': '刷新', 'tr.curves': '损失', 'tr.samples': '样本',
    'tr.running': '训练中：每 2 秒刷新', 'tr.finished': '未在运行', 'tr.train': '训练（每步）',
    'tr.evalTrain': '训练（评估）', 'tr.val': '验证', 'tr.devAccuracy': '开发集准确率（每轮）', 'tr.step': '步', 'tr.updated': '更新于',
    inputIds: '词元 ID', idsHint: '该模型没有分词器：请输入以逗号分隔的词元 ID（0–{0}），例如 5,17,3。',
    overContext: '超过上下文长度：各视图无法处理',
    'welcome.step1': '用随机权重和 GPT-2 的分词器创建一个模型（几秒钟）：',
    'welcome.step2': '或者用你自己的文本训练一个（这个小模型需要一两分钟）：',
    'welcome.step3': '刷新本页面（会打开 runs/ 下最新的模型），或者在上方输入模型目录并点击加载。',
    'welcome.where': '在 {0} 中运行这些命令。',
    'tr.noHistory': '该模型没有训练记录', 'tr.noRun': '还没有训练记录',
    'tr.loss': '损失（交叉熵，奈特）', 'tr.accuracy': '准确率',
    'tr.reward': '奖励（平均得分或回报）', 'tr.nats': '奈特', 'tr.klRef': '与参考策略的 KL',
    'tr.approxKl': '近似 KL（旧策略到新策略）', 'tr.entropy': '熵',
    'tr.clipFraction': '裁剪比例', 'tr.score': '得分',
    'att.rowNorm': '按每行最大值缩放',
    'att.rowNormWhy': '即使概率分布很分散，也能看出每个查询关注哪里。',
    'att.stepsAxes': '行：查询位置；列：键位置。',
    'axis.query': '查询（发出注意力的词元）', 'axis.key': '键（被关注的词元）', 'axis.position': '位置', 'axis.channel': '通道',
    'legend.prob': '概率', 'legend.rowShare': '占该行最大值的比例', 'legend.score': '分数', 'legend.value': '数值',
    'legend.cosine': '余弦',
    error: '错误', loading: '计算中…'
  }
};

let lang = localStorage.getItem('gpt4j.lang') === 'zh' ? 'zh' : 'en';

/** The text for key in the current language, with {0}, {1}… replaced by the arguments. */
function t(key, ...args) {
  const s = (I18N[lang] && I18N[lang][key]) || I18N.en[key] || key;
  return s.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));
}

function applyLanguage() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
  document.getElementById('lang').textContent = lang === 'zh' ? 'English' : '中文';
}

function switchLanguage() {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('gpt4j.lang', lang);
  applyLanguage();
}
